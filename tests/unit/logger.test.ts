import { redact } from '../../src/lib/logger';

describe('log redaction', () => {
  it('replaces passwords, tokens and authorization headers at any depth', () => {
    const redacted = redact({
      email: 'a@b.c',
      password: 'Secret123',
      headers: { authorization: 'Bearer abc', 'user-agent': 'jest' },
      nested: [{ refreshToken: 'r' }, { newPassword: 'x', keep: 1 }],
    });
    expect(redacted).toEqual({
      email: 'a@b.c',
      password: '[REDACTED]',
      headers: { authorization: '[REDACTED]', 'user-agent': 'jest' },
      nested: [{ refreshToken: '[REDACTED]' }, { newPassword: '[REDACTED]', keep: 1 }],
    });
  });
});
