import { spawn } from 'node:child_process';
import path from 'node:path';

const HELPER = path.join(__dirname, 'pdf-text.mjs');

/** The text of a PDF, extracted with pdfjs-dist in a child node process (pdfjs is ESM only; jest runs CommonJS). */
export function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HELPER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`pdf-text.mjs exited with ${code}: ${Buffer.concat(err).toString()}`));
        return;
      }
      resolve(JSON.parse(Buffer.concat(out).toString()) as { pages: number; text: string });
    });
    child.stdin.end(pdf);
  });
}
