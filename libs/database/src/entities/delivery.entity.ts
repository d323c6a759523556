import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChannelKind, DeliveryStatus } from '@syndication/contracts';

@Entity('channel')
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') slug!: string;
  @Column('text') kind!: ChannelKind;
  @Column('text') name!: string;
  @Column('jsonb') config!: Record<string, unknown>;
  @Column('boolean') active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('route')
export class RouteEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('uuid', { name: 'partner_id', nullable: true }) partnerId!: string | null;
  @Column('text', { name: 'source_languages', array: true, nullable: true }) sourceLanguages!: string[] | null;
  @Column('text', { array: true, nullable: true }) topics!: string[] | null;
  @Column('text', { array: true, nullable: true }) entities!: string[] | null;
  @Column('uuid', { name: 'channel_id' }) channelId!: string;
  @Column('text', { array: true }) languages!: string[];
  @Column('text', { name: 'translation_providers', array: true, nullable: true }) translationProviders!: string[] | null;
  @Column('text', { name: 'translation_policy' }) translationPolicy!: 'wait' | 'source_first';
  @Column('int', { name: 'translation_wait_seconds', nullable: true }) translationWaitSeconds!: number | null;
  @Column('boolean') active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('delivery')
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'story_version_id' }) storyVersionId!: string;
  @Column('uuid', { name: 'channel_id' }) channelId!: string;
  @Column('text') language!: string;
  @Column('text') status!: DeliveryStatus;
  @Column('int') attempts!: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('jsonb') detail!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt!: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt!: Date | null;
}

@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('text') job!: string;
  @Column('jsonb') payload!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'dispatched_at', nullable: true }) dispatchedAt!: Date | null;
}
