// Prints the text of the PDF read from stdin as JSON { pages, text } (one line of text per page, items joined by
// spaces). pdfjs-dist is ESM only and jest runs CommonJS, so tests run this in a child `node` process (pdf.ts).
import { Buffer } from 'node:buffer';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const document = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= document.numPages; number += 1) {
  const content = await (await document.getPage(number)).getTextContent();
  pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
}
process.stdout.write(JSON.stringify({ pages: document.numPages, text: pages.join('\n') }));
