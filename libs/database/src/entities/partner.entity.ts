import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type PartnerKeyKind = 'api_key' | 'hmac' | 'ed25519';

@Entity('partner')
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') slug!: string;
  @Column('text') name!: string;
  /** The ninjs version the partner's documents follow when a request does not declare one. */
  @Column('text', { name: 'ninjs_version', nullable: true }) ninjsVersion!: string | null;
  /** Bearer API keys are refused: every request must be signed (HMAC or Ed25519). */
  @Column('boolean', { name: 'require_signature' }) requireSignature!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** One credential: exactly the material of its kind is set (a CHECK constraint holds it). */
@Entity('partner_key')
export class PartnerKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'partner_id' }) partnerId!: string;
  @Column('text', { name: 'key_id' }) keyId!: string;
  @Column('text') kind!: PartnerKeyKind;
  /** api_key: SHA-256 of the secret. */
  @Column('bytea', { name: 'secret_sha256', nullable: true }) secretSha256!: Buffer | null;
  /** hmac: the secret sealed with SECRETS_KEY (see secrets.ts). */
  @Column('bytea', { name: 'secret_sealed', nullable: true }) secretSealed!: Buffer | null;
  /** ed25519: the partner's public key, SPKI DER. */
  @Column('bytea', { name: 'public_key', nullable: true }) publicKey!: Buffer | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

@Entity('request_nonce')
export class RequestNonceEntity {
  @PrimaryColumn('uuid', { name: 'partner_id' }) partnerId!: string;
  @PrimaryColumn('text') nonce!: string;
  @Column('text', { name: 'key_id' }) keyId!: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
}
