import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('translation')
export class TranslationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'story_version_id' }) storyVersionId!: string;
  @Column('text') language!: string;
  @Column('text') status!: 'done' | 'unsupported' | 'failed';
  @Column('text', { nullable: true }) provider!: string | null;
  @Column('text', { nullable: true }) headline!: string | null;
  @Column('jsonb', { nullable: true }) paragraphs!: string[] | null;
  @Column('real', { name: 'unknown_word_ratio', nullable: true }) unknownWordRatio!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  /** Machine-made (every translation today); a human-edited one would be false. */
  @Column('boolean') machine!: boolean;
  @Column('integer', { name: 'segments_sent' }) segmentsSent!: number;
  @Column('integer', { name: 'segments_reused' }) segmentsReused!: number;
  @Column('integer', { name: 'chars_sent' }) charsSent!: number;
  @Column('integer', { name: 'chars_reused' }) charsReused!: number;
  /** Providers tried, in order, with what each answered (fallback trail). */
  @Column('jsonb') attempts!: Array<{ provider: string; outcome: string }>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('translation_memory')
export class TranslationMemoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('text', { name: 'source_language' }) sourceLanguage!: string;
  @Column('text', { name: 'target_language' }) targetLanguage!: string;
  @Column('text') provider!: string;
  @Column('bytea', { name: 'source_sha256' }) sourceSha256!: Buffer;
  @Column('text', { name: 'source_text' }) sourceText!: string;
  @Column('text', { name: 'target_text' }) targetText!: string;
  @Column('real', { name: 'unknown_word_ratio', nullable: true }) unknownWordRatio!: number | null;
  @Column('integer') hits!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_used_at' }) lastUsedAt!: Date;
}

@Entity('glossary_term')
export class GlossaryTermEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** NULL: applies to every partner; a partner's own entry wins over a global one. */
  @Column('uuid', { name: 'partner_id', nullable: true }) partnerId!: string | null;
  @Column('text', { name: 'source_language' }) sourceLanguage!: string;
  @Column('text', { name: 'target_language' }) targetLanguage!: string;
  @Column('text') term!: string;
  @Column('text') translation!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('translation_provider_status')
export class TranslationProviderStatusEntity {
  @PrimaryColumn('text') provider!: string;
  @Column('text') status!: 'active' | 'paused';
  @Column('timestamptz', { name: 'paused_until', nullable: true }) pausedUntil!: Date | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('tag')
export class TagEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'story_version_id' }) storyVersionId!: string;
  @Column('text') kind!: 'person' | 'organisation' | 'place' | 'topic' | 'keyword';
  @Column('text') code!: string;
  @Column('text') label!: string;
  @Column('real') score!: number;
  /** Passes the routing threshold (topics); routes match only routable tags. */
  @Column('boolean') routable!: boolean;
  @Column('text') source!: string;
  @Column('jsonb') detail!: Record<string, unknown>;
}
