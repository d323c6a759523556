import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('tag')
export class TagEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'story_version_id' }) storyVersionId!: string;
  @Column('text') kind!: 'person' | 'organisation' | 'place' | 'topic' | 'keyword';
  @Column('text') code!: string;
  @Column('text') label!: string;
  @Column('real') score!: number;
  @Column('text') source!: string;
  @Column('jsonb') detail!: Record<string, unknown>;
}
