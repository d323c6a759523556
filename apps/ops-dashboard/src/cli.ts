/**
 * `npm run -s ops -- <command>`: dashboard accounts.
 *   create-user <name> --role viewer|operator|admin [--update]   password from OPS_PASSWORD or stdin
 *   list-users
 *   disable-user <name>
 * Without OPS_PASSWORD and with a terminal on stdin, the password is asked for (not echoed);
 * piped stdin is read as the password (first line).
 */
import 'reflect-metadata';
import { loadConfig } from '@syndication/config';
import { createDataSource, disableOpsUser, listOpsUsers, OPS_ROLES, OpsAccountError, recordAudit, upsertOpsUser, type OpsRole } from '@syndication/database';

const usage = `usage: npm run -s ops -- create-user <name> --role ${OPS_ROLES.join('|')} [--update]
       npm run -s ops -- list-users
       npm run -s ops -- disable-user <name>
The password comes from OPS_PASSWORD, else from stdin (asked for on a terminal).`;

async function readPassword(): Promise<string> {
  if (process.env['OPS_PASSWORD']) return process.env['OPS_PASSWORD'];
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stdout.write('password (12+ characters): ');
  stdin.setRawMode(true);
  let pw = '';
  return new Promise((resolve) => {
    stdin.on('data', (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          process.stdout.write('\n');
          resolve(pw);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        pw = ch === '\u007f' ? pw.slice(0, -1) : pw + ch;
      }
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const [cmd, name] = argv;
  const db = createDataSource(loadConfig().database.url, 1);
  await db.initialize();
  try {
    if (cmd === 'create-user' && name) {
      const i = argv.indexOf('--role');
      const role = (i >= 0 ? argv[i + 1] : undefined) as OpsRole | undefined;
      if (!role || !(OPS_ROLES as readonly string[]).includes(role)) throw new OpsAccountError(`--role ${OPS_ROLES.join('|')} is required`);
      const password = await readPassword();
      const u = await db.transaction(async (m) => {
        const user = await upsertOpsUser(m, name, role, password, { update: argv.includes('--update') });
        await recordAudit(m, { actor: process.env['USER'] ?? 'cli', actorType: 'system', action: user.created ? 'user.create' : 'user.update', targetType: 'ops_user', targetId: user.id, detail: { username: name, role } });
        return user;
      });
      process.stdout.write(`${u.created ? 'created' : 'updated'} ${u.username} (${u.role})\n`);
      return 0;
    }
    if (cmd === 'list-users') {
      for (const u of await listOpsUsers(db)) process.stdout.write(`${u.username}\t${u.role}\t${u.disabled_at ? 'disabled' : 'enabled'}\n`);
      return 0;
    }
    if (cmd === 'disable-user' && name) {
      const ok = await disableOpsUser(db, name);
      process.stdout.write(ok ? `disabled ${name}\n` : `no enabled user ${name}\n`);
      return ok ? 0 : 1;
    }
    process.stderr.write(`${usage}\n`);
    return 2;
  } catch (err) {
    if (err instanceof OpsAccountError) {
      process.stderr.write(`ops: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`ops: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
