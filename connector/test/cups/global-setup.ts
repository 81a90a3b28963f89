import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CUPS tests rely on exactly what CI and scripts/test.sh start: `services.sh cupsd`. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../../scripts/services.sh', import.meta.url));
  execFileSync('bash', [script, 'cupsd'], { stdio: 'inherit' });
}
