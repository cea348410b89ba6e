import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt at the configured cost, plus a dummy comparison so an unknown e-mail costs as much as a wrong password. */
export class PasswordHasher {
  private readonly dummyHash: Promise<string>;

  constructor(private readonly cost: number) {
    // Computed once, eagerly, at the same cost as real hashes.
    this.dummyHash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: string, hash: string): Promise<boolean> {
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      return false;
    }
  }

  /** Burns the same time as `verify` against a real hash; always false. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(password, await this.dummyHash);
    return false;
  }
}
