/**
 * Small readers for channel jsonb configs. Each failure names the field, because the message ends
 * up in the dashboard next to the channel row an operator has to fix.
 */
import { ChannelConfigError } from './channel';

export function configObject(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ChannelConfigError('config', 'must be a JSON object');
  }
  return raw as Record<string, unknown>;
}

export function requiredString(obj: Record<string, unknown>, field: string): string {
  const value = obj[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ChannelConfigError(field, 'is required and must be a non-empty string');
  }
  return value;
}

export function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ChannelConfigError(field, 'must be a non-empty string when present');
  }
  return value;
}

export function optionalInteger(
  obj: Record<string, unknown>,
  field: string,
  range: { min: number; max: number },
): number | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ChannelConfigError(field, `must be an integer between ${range.min} and ${range.max}`);
  }
  return value;
}

/** A misspelt key ("timeout" for "timeoutMs") would otherwise be silently ignored. */
export function rejectUnknownFields(obj: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new ChannelConfigError(key, 'is not a known setting');
  }
}
