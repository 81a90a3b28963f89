import { BelpicCard, type BelpicCardOptions } from './card/belpic-card.js';
import { ensureMaterial } from './material/store.js';
import type { CardLanguage, Citizen, Profile } from './material/types.js';

export {
  BelpicCard,
  CardPoweredOffError,
  CardRemovedError,
  ATR_17,
  ATR_18,
  atrOf,
  type BelpicCardOptions,
  type Tamper,
} from './card/belpic-card.js';
export { parseApdu, SW, type CommandApdu } from './card/apdu.js';
export { MisbehaviourPlan, type Misbehaviour, type MisbehaviourMode, type PlannedReply } from './card/misbehaviour.js';
export { ALGORITHMS_17, ALGORITHMS_18, algorithmsOf, digestInfo, type AlgorithmInfo } from './card/signing.js';
export {
  ADDRESS_FILE_SIZE,
  DEFAULT_PIN,
  defaultBaseDir,
  ensureMaterial,
  loadMaterial,
  materialDir,
  materialExists,
  readPinState,
  writePinState,
  type CardMaterial,
  type IdFiles,
  type MaterialOptions,
} from './material/store.js';
export {
  checkIntegrity,
  rrnSign,
  signAddress,
  signIdentity,
  stripZeroPadding,
  trimDer,
  verifyRrnSignature,
  type IntegrityInput,
  type IntegrityResult,
} from './material/rrn.js';
export {
  AID_APPLET,
  AID_BELPIC,
  AID_ID,
  KEY_REF_AUTH,
  KEY_REF_BASIC,
  KEY_REF_NON_REPUDIATION,
  OBJECT_ID,
  PIN_REFERENCE,
} from './material/pkcs15.js';
export {
  cardNumberFor,
  formatBirthDate,
  isValidCardNumber,
  isValidNationalNumber,
  nationalNumberFor,
} from './material/citizen.js';
export { encodeBelpicTlv } from './material/tlv.js';
export {
  PIN_MAX_TRIES,
  PROFILES,
  isProfile,
  rrnSignatureFormatOf,
  type CardFacts,
  type CardLanguage,
  type Citizen,
  type MaterialManifest,
  type PinState,
  type Profile,
  type RrnSignatureFormat,
} from './material/types.js';
export { acquireReaderLock, readerLockPath, type ReaderLock } from './transport/reader-lock.js';
export { insertIntoVpcd, VPCD_BASE_PORT, type VpcdInsertion, type VpcdOptions } from './transport/vpcd.js';

export interface CreateVirtualCardOptions extends Omit<BelpicCardOptions, 'material'> {
  profile?: Profile;
  /** Base directory of the material (`<dataDir>/<profile>`); default under $XDG_DATA_HOME. */
  dataDir?: string;
  /** Only used when the material is generated. */
  language?: CardLanguage;
  /** Only used when the material is generated. */
  citizen?: Partial<Citizen>;
  /** Only used when the material is generated. */
  pin?: string;
}

/** Loads (or, the first time, generates) the material and returns a powered card. */
export async function createVirtualCard(opts: CreateVirtualCardOptions = {}): Promise<BelpicCard> {
  const { profile = '1.7', dataDir, language, citizen, pin, ...cardOpts } = opts;
  const material = await ensureMaterial({ profile, baseDir: dataDir, language, citizen, pin });
  return new BelpicCard({ ...cardOpts, material });
}
