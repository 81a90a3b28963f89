import { Command, InvalidArgumentError, Option } from 'commander';
import { BelpicCard, type Tamper } from './card/belpic-card.js';
import { ensureMaterial, materialDir, readPinState, writePinState, type CardMaterial } from './material/store.js';
import { OBJECT_ID } from './material/pkcs15.js';
import { PIN_MAX_TRIES, isProfile, type CardLanguage, type Profile } from './material/types.js';
import { insertIntoVpcd } from './transport/vpcd.js';

function parseProfile(v: string): Profile {
  if (!isProfile(v)) throw new InvalidArgumentError('profile must be 1.7 or 1.8');
  return v;
}

function parseReader(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 15) throw new InvalidArgumentError('reader must be a small integer (0, 1, …)');
  return n;
}

function parseTamper(v: string): Tamper {
  const t: Tamper = {};
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part !== 'identity' && part !== 'address' && part !== 'photo') {
      throw new InvalidArgumentError(`unknown tamper target "${part}" (identity, address, photo)`);
    }
    t[part] = true;
  }
  return t;
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

interface CommonOpts {
  profile: Profile;
  dataDir?: string;
  language: CardLanguage;
}

async function material(opts: CommonOpts): Promise<CardMaterial> {
  return ensureMaterial({ profile: opts.profile, baseDir: opts.dataDir, language: opts.language });
}

export function buildProgram(): Command {
  const program = new Command('virtual-card')
    .description('Software Belgian eID (BELPIC) card for development and tests')
    .showHelpAfterError();

  const common = (cmd: Command) =>
    cmd
      .addOption(new Option('--profile <profile>', 'applet profile: 1.7 (RSA) or 1.8 (ECC)').default('1.7').argParser(parseProfile))
      .option('--data-dir <dir>', 'base directory of the card material (default $XDG_DATA_HOME/cardlink/virtual-card)')
      .addOption(
        new Option('--language <lang>', 'card language, used when the material is first generated')
          .choices(['fr', 'nl', 'de'])
          .default('fr'),
      );

  common(program.command('insert'))
    .description('insert the card into a vpcd virtual reader until SIGINT/SIGTERM')
    .option('--reader <n>', 'vpcd reader index (0 → port 35963, 1 → 35964)', parseReader, 0)
    .option('--host <host>', 'vpcd host', '127.0.0.1')
    .option('--tamper <list>', 'break integrity on purpose: identity,address,photo', parseTamper)
    .option('--remove-after <apdus>', 'pull the card after this many APDUs', parseCount)
    .option('--trace', 'print every frame')
    .action(async (opts: CommonOpts & { reader: number; host: string; tamper?: Tamper; removeAfter?: number; trace?: boolean }) => {
      const m = await material(opts);
      const card = new BelpicCard({ material: m, tamper: opts.tamper, removeAfterApdus: opts.removeAfter });
      const insertion = await insertIntoVpcd(card, {
        host: opts.host,
        readerIndex: opts.reader,
        trace: opts.trace ? (dir, f) => console.log(`${dir === 'in' ? '>>' : '<<'} ${f.toString('hex').toUpperCase()}`) : undefined,
      });
      console.log(
        `virtual-card: applet ${m.profile} card inserted in vpcd reader ${opts.reader} (${opts.host}:${insertion.port}); ` +
          `chip ${m.manifest.card.chipSerialHex}; Ctrl-C removes it`,
      );
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`virtual-card: ${signal}, removing the card`);
        await insertion.remove();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      await insertion.closed;
      if (!stopping) {
        console.log('virtual-card: connection closed (card removed)');
        process.exit(0);
      }
    });

  common(program.command('info'))
    .description("print the test citizen's public data and where the material is stored")
    .option('--json', 'machine-readable output')
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      const m = await material(opts);
      const pin = readPinState(m.dir);
      const info = {
        profile: m.profile,
        materialDir: m.dir,
        citizen: m.manifest.citizen,
        card: m.manifest.card,
        pin: m.manifest.initialPin,
        currentPin: pin.pin,
        pinTriesLeft: pin.triesLeft,
        rrnSignature: m.manifest.rrnSignature,
        pkcs15Ids: { auth: OBJECT_ID.auth, nonRepudiation: OBJECT_ID.nonRepudiation },
      };
      if (opts.json) {
        console.log(JSON.stringify(info, null, 2));
        return;
      }
      const c = m.manifest.citizen;
      console.log(`Virtual BELPIC card, applet ${m.profile} (test material, fictitious person)`);
      console.log(`  material       ${m.dir}`);
      console.log(`  name           ${c.firstNames} ${c.thirdNameInitial} ${c.surname}`);
      console.log(`  national no.   ${c.nationalNumber}`);
      console.log(`  birth          ${c.birthDate}, ${c.birthPlace}`);
      console.log(`  address        ${c.address.streetAndNumber}, ${c.address.zip} ${c.address.municipality}`);
      console.log(`  card number    ${m.manifest.card.cardNumber} (valid ${m.manifest.card.validityBegin} – ${m.manifest.card.validityEnd})`);
      console.log(`  chip serial    ${m.manifest.card.chipSerialHex}`);
      console.log(`  PIN            ${pin.pin} (${pin.triesLeft}/${PIN_MAX_TRIES} tries left)`);
      console.log(`  RRN signature  ${m.manifest.rrnSignature}`);
    });

  common(program.command('reset-pin'))
    .description('restore the issued PIN and all tries')
    .action(async (opts: CommonOpts) => {
      const m = await material(opts);
      writePinState(m.dir, { pin: m.manifest.initialPin, triesLeft: PIN_MAX_TRIES });
      console.log(`virtual-card: PIN of ${materialDir(m.profile, opts.dataDir)} reset to ${m.manifest.initialPin} (${PIN_MAX_TRIES} tries)`);
    });

  return program;
}

await buildProgram().parseAsync(process.argv);
