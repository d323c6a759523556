import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RemovedSpan, StageStatus } from '@syndication/contracts';

@Entity('story')
export class StoryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'partner_id' }) partnerId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('int', { name: 'latest_version' }) latestVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('story_version')
export class StoryVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'story_id' }) storyId!: string;
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('text') format!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  /** The single-story document as received; null for an item of a multi-item document (see documentId). */
  @Column('text', { name: 'raw_payload', nullable: true }) rawPayload!: string | null;
  /** The multi-item document (intake_document) this version is an item of, stored once for all its items. */
  @Column('uuid', { name: 'document_id', nullable: true }) documentId!: string | null;
  @Column('bytea', { name: 'raw_sha256' }) rawSha256!: Buffer;
  @Column('text') headline!: string;
  @Column('text', { nullable: true }) dateline!: string | null;
  @Column('date', { name: 'story_date', nullable: true }) storyDate!: string | null;
  @Column('jsonb') paragraphs!: string[];
  @Column('text') language!: string;
  @Column('real', { name: 'language_confidence' }) languageConfidence!: number;
  @Column('jsonb', { name: 'removed_spans' }) removedSpans!: RemovedSpan[];
  @Column('text') stage!: string;
  @Column('text', { name: 'translate_status' }) translateStatus!: StageStatus;
  @Column('text', { name: 'tag_status' }) tagStatus!: StageStatus;
  @Column('timestamptz', { name: 'routed_at', nullable: true }) routedAt!: Date | null;
  @Column('timestamptz', { name: 'route_due_at', nullable: true }) routeDueAt!: Date | null;
}

@Entity('stage_event')
export class StageEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'story_version_id' }) storyVersionId!: string;
  @Column('text') stage!: string;
  @Column('text') status!: string;
  @Column('jsonb') detail!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
