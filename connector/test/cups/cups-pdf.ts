import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Where cups-pdf writes the PDFs of this user's jobs: its `Out` setting (scripts/services.sh
 * pins it to /var/spool/cups-pdf/${USER}), with ${HOME} and ${USER} expanded.
 */
export function cupsPdfOutputDir(conf = '/etc/cups/cups-pdf.conf'): string {
  const { username, homedir } = userInfo();
  let out = '/var/spool/cups-pdf/${USER}';
  if (existsSync(conf)) {
    for (const line of readFileSync(conf, 'utf8').split('\n')) {
      const m = /^\s*Out\s+(\S+)\s*$/.exec(line);
      if (m) out = m[1]!;
    }
  }
  return out.replace(/\$\{HOME\}/g, homedir).replace(/\$\{USER\}/g, username);
}

/** Poll until a PDF whose name contains `token` appears in the cups-pdf folder. */
export async function waitForPdf(token: string, timeoutMs = 45_000): Promise<string> {
  const dir = cupsPdfOutputDir();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = existsSync(dir) ? readdirSync(dir).find((n) => n.includes(token) && n.endsWith('.pdf')) : undefined;
    if (hit) {
      const path = join(dir, hit);
      // cups-pdf writes the file in place: wait until it is complete.
      const bytes = readFileSync(path);
      if (bytes.includes(Buffer.from('%%EOF'))) return path;
    }
    if (Date.now() > deadline) throw new Error(`no PDF containing "${token}" appeared in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A minimal valid one-page PDF showing `text` (what a page would send to print). */
export function tinyPdf(text: string): Buffer {
  const stream = `BT /F1 24 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
