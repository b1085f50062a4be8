import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HeraldError } from '../errors.ts';

/**
 * AES-256-GCM for secrets at rest (access-key secrets, provider credentials,
 * cached tokens). Stored form: `v1.<iv>.<tag>.<ciphertext>` in base64url, so the
 * format can evolve and a row can be told apart from plaintext at a glance.
 */
export interface CryptoBox {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
}

export function createCryptoBox(masterKey: Buffer): CryptoBox {
  if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(stored) {
      const [version, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined) {
        throw new HeraldError('unavailable', 'SECRET_UNREADABLE', 'A stored secret has an unknown format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new HeraldError('unavailable', 'SECRET_UNREADABLE', 'A stored secret cannot be decrypted: is HERALD_MASTER_KEY the key it was written with?');
      }
    },
  };
}
