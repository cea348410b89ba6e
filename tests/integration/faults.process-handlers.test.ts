import { spawn } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(30_000);

const FIXTURE = path.join(__dirname, '../fixtures/faulty-process.ts');

function runFaulty(kind: string): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, kind], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      resolve({
        code,
        lines: out
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      }),
    );
  });
}

test.each([
  ['rejection', 'unhandledRejection', 'nobody handles this'],
  ['exception', 'uncaughtException', 'nobody catches this'],
])(
  'an unhandled %s is logged with the request id and exits through the graceful shutdown',
  async (kind, event, text) => {
    const { code, lines } = await runFaulty(kind);
    const fault = lines.find((line) => line.message === event);
    expect(fault).toMatchObject({ level: 'error', requestId: 'req-fault-42' });
    expect(JSON.stringify(fault)).toContain(text);
    const messages = lines.map((line) => line.message);
    expect(messages).toEqual(
      expect.arrayContaining(['shutting down', 'graceful shutdown ran', 'shutdown complete']),
    );
    expect(messages.indexOf('graceful shutdown ran')).toBeGreaterThan(messages.indexOf(event));
    expect(code).toBe(1);
  },
);
