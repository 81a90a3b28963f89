/**
 * The PKCS#11 host: a child process that loads ONE library and answers the connector's calls
 * (host-protocol.ts) over the IPC channel. A library that crashes or hangs takes down only
 * this process; the connector times the call out and starts a fresh host.
 *
 * Calls run one at a time (the binding's calls are synchronous). The PIN is used for one
 * login and logged out right after: no security state outlives the call that earned it.
 */
import pkcs11js from 'pkcs11js';
import type { CardErrorCode } from '../../card-error.js';
import type { HostCall, HostCertificate, HostFailure, HostLibraryInfo, HostReply, HostRequest, HostSignResult, HostSlot } from './host-protocol.js';

// CK_SLOT_INFO flag (PKCS#11 v2.40 §3.2); the binding's typings lack it.
const CKF_TOKEN_PRESENT = 0x1;
const libraryPath = process.argv[2] ?? '';
const p11 = new pkcs11js.PKCS11();
let loaded: HostFailure | true | undefined;

class HostError extends Error {
  constructor(readonly failure: HostFailure) {
    super(failure.message);
  }
}
const fail = (code: CardErrorCode, message: string, details: Record<string, unknown> = {}) => new HostError({ code, message, details });

function ensureLoaded(): void {
  if (loaded === undefined) {
    try {
      p11.load(libraryPath);
    } catch {
      // The loader's message names the path and dlerror text; the page gets a plain reason.
      loaded = { code: 'PKCS11_LIBRARY_ERROR', message: 'The library cannot be loaded as a PKCS#11 library (no C_GetFunctionList).', details: {} };
    }
    if (loaded === undefined) {
      try {
        p11.C_Initialize();
        loaded = true;
      } catch (e) {
        if ((e as { code?: number }).code === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) loaded = true;
        else loaded = { code: 'PKCS11_LIBRARY_ERROR', message: `C_Initialize failed (${ckrName(e)}).`, details: { ckr: ckrName(e) } };
      }
    }
  }
  if (loaded !== true) throw new HostError(loaded);
}

const CKR_NAMES = new Map<number, string>();
const CKM_NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(pkcs11js)) {
  if (typeof v !== 'number') continue;
  if (k.startsWith('CKR_') && !CKR_NAMES.has(v)) CKR_NAMES.set(v, k);
  if (k.startsWith('CKM_') && !CKM_NAMES.has(v)) CKM_NAMES.set(v, k);
}
function ckrName(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'number' ? (CKR_NAMES.get(code) ?? `CKR_0x${code.toString(16)}`) : 'no CKR';
}

const text = (s: string) => s.replace(/\0/g, '').trim();
const handleOf = (slotId: string) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(slotId));
  return b;
};
const idOf = (h: Buffer) => (h.length >= 8 ? h.readBigUInt64LE(0) : BigInt(h.readUIntLE(0, h.length))).toString();

/** A CK_ULONG attribute: the binding returns raw bytes for attributes it does not type. */
function ulong(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v) && v.length >= 1 && v.length <= 8) return Number(v.length === 8 ? v.readBigUInt64LE(0) : BigInt(v.readUIntLE(0, v.length)));
  return null;
}

/** Map a PKCS#11 return value to the card layer's codes. */
function mapError(e: unknown, pinTriesLeft?: () => number | null): HostError {
  if (e instanceof HostError) return e;
  const code = (e as { code?: unknown }).code;
  const ckr = ckrName(e);
  switch (code) {
    case pkcs11js.CKR_PIN_INCORRECT: {
      const left = pinTriesLeft?.() ?? null;
      return fail('PIN_INCORRECT', left === null ? 'Wrong PIN.' : `Wrong PIN; ${left} ${left === 1 ? 'try' : 'tries'} left.`, { retriesLeft: left });
    }
    case pkcs11js.CKR_PIN_LOCKED:
      return fail('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
    case pkcs11js.CKR_PIN_LEN_RANGE:
    case pkcs11js.CKR_PIN_INVALID:
      return fail('INVALID_INPUT', 'The token refused the PIN\'s length or characters.');
    case pkcs11js.CKR_USER_NOT_LOGGED_IN:
      return fail('PIN_REQUIRED', 'The token needs the PIN for this key.');
    case pkcs11js.CKR_TOKEN_NOT_PRESENT:
    case pkcs11js.CKR_DEVICE_REMOVED:
    case pkcs11js.CKR_SESSION_HANDLE_INVALID:
    case pkcs11js.CKR_SESSION_CLOSED:
      return fail('TOKEN_NOT_PRESENT', 'The token was removed (or is not in its slot).', { ckr });
    case pkcs11js.CKR_SLOT_ID_INVALID:
      return fail('TOKEN_NOT_FOUND', 'No such slot in this library.', { ckr });
    case pkcs11js.CKR_MECHANISM_INVALID:
    case pkcs11js.CKR_MECHANISM_PARAM_INVALID:
    case pkcs11js.CKR_KEY_TYPE_INCONSISTENT:
    case pkcs11js.CKR_KEY_FUNCTION_NOT_PERMITTED:
      return fail('ALGORITHM_NOT_SUPPORTED', `The token refused this algorithm for this key (${ckr}).`, { ckr });
    case pkcs11js.CKR_DATA_LEN_RANGE:
      return fail('INVALID_INPUT', 'The token refused the data length for this key.', { ckr });
    case pkcs11js.CKR_FUNCTION_CANCELED:
      return fail('PIN_REQUIRED', 'The PIN entry was canceled.', { ckr });
    default: {
      // The binding names the PKCS#11 function that failed (e.g. C_SignInit): a lead for support.
      const method = (e as { method?: unknown }).method;
      const fromStack = /\[as (C_\w{1,40})\]/.exec(String((e as Error).stack))?.[1];
      const fn = typeof method === 'string' && /^C_\w{1,40}$/.test(method) ? method : (fromStack ?? null);
      return fail('PKCS11_LIBRARY_ERROR', `The PKCS#11 library failed${fn ? ` in ${fn}` : ''} (${ckr}).`, { ckr, function: fn });
    }
  }
}

function tokenFlags(slot: Buffer): number {
  return p11.C_GetTokenInfo(slot).flags;
}

/** Tries left as far as the token says: 0 when locked, 1 at the final try, else unknown. */
function triesFromFlags(flags: number): number | null {
  if (flags & pkcs11js.CKF_USER_PIN_LOCKED) return 0;
  if (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) return 1;
  return null;
}

function info(): HostLibraryInfo {
  const i = p11.C_GetInfo();
  return {
    description: text(i.libraryDescription),
    manufacturer: text(i.manufacturerID),
    version: `${i.libraryVersion.major}.${i.libraryVersion.minor}`,
    cryptokiVersion: `${i.cryptokiVersion.major}.${i.cryptokiVersion.minor}`,
  };
}

function slots(): HostSlot[] {
  return p11.C_GetSlotList(false).map((h) => {
    const s = p11.C_GetSlotInfo(h);
    const present = (s.flags & CKF_TOKEN_PRESENT) !== 0;
    const base = { slotId: idOf(h), slotDescription: text(s.slotDescription), slotManufacturer: text(s.manufacturerID), tokenPresent: present };
    if (!present) return { ...base, label: '', manufacturer: '', model: '', serialNumber: '', flags: 0 };
    try {
      const t = p11.C_GetTokenInfo(h);
      return { ...base, label: text(t.label), manufacturer: text(t.manufacturerID), model: text(t.model), serialNumber: text(t.serialNumber), flags: t.flags };
    } catch (e) {
      // A token that went away between the two calls, or one the library cannot read.
      const m = mapError(e);
      if (m.failure.code === 'TOKEN_NOT_PRESENT') return { ...base, tokenPresent: false, label: '', manufacturer: '', model: '', serialNumber: '', flags: 0 };
      throw m;
    }
  });
}

function withSession<T>(slotId: string, task: (session: Buffer, slot: Buffer) => T): T {
  const slot = handleOf(slotId);
  let session: Buffer;
  try {
    session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  } catch (e) {
    throw mapError(e);
  }
  try {
    return task(session, slot);
  } finally {
    try {
      p11.C_CloseSession(session);
    } catch {
      // gone with the token
    }
  }
}

function find(session: Buffer, template: pkcs11js.Template, max = 256): Buffer[] {
  p11.C_FindObjectsInit(session, template);
  try {
    return p11.C_FindObjects(session, max);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

function certificates(slotId: string): HostCertificate[] {
  return withSession(slotId, (session) => {
    try {
      const out: HostCertificate[] = [];
      for (const h of find(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }])) {
        const [value, id, label] = p11.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }]);
        const der = value?.value;
        if (!Buffer.isBuffer(der) || der.length === 0) continue;
        out.push({
          der: der.toString('base64'),
          keyId: Buffer.isBuffer(id?.value) ? id.value.toString('hex') : '',
          label: Buffer.isBuffer(label?.value) ? label.value.toString('utf8') : typeof label?.value === 'string' ? label.value : '',
        });
      }
      return out;
    } catch (e) {
      throw mapError(e);
    }
  });
}

function mechanisms(slotId: string): Array<{ id: number; name: string }> {
  try {
    return p11.C_GetMechanismList(handleOf(slotId)).map((id) => ({ id, name: CKM_NAMES.get(id) ?? `CKM_0x${id.toString(16)}` }));
  } catch (e) {
    throw mapError(e);
  }
}

function login(session: Buffer, slot: Buffer, pin: string | null, allowLastTry: boolean): void {
  const flags = tokenFlags(slot);
  if (flags & pkcs11js.CKF_USER_PIN_LOCKED) throw fail('PIN_BLOCKED', 'The PIN is blocked.', { retriesLeft: 0 });
  if (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY && !allowLastTry) {
    throw fail('PIN_LAST_TRY_REFUSED', 'Only one PIN try is left; set allowLastTry to use it.', { retriesLeft: 1 });
  }
  const pinpad = (flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0;
  if (pin === null && !pinpad) throw fail('PIN_REQUIRED', 'The token needs the PIN.');
  try {
    // With a protected authentication path the PIN is entered on the reader's pad (NULL here).
    if (pin === null) p11.C_Login(session, pkcs11js.CKU_USER);
    else p11.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (e) {
    if ((e as { code?: number }).code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
      // Another session of this process still holds a login: drop it and log in as asked.
      p11.C_Logout(session);
      login(session, slot, pin, allowLastTry);
      return;
    }
    throw mapError(e, () => triesFromFlags(tokenFlags(slot)));
  }
}

function sign(call: Extract<HostCall, { op: 'sign' }>): HostSignResult {
  return withSession(call.slotId, (session, slot) => {
    const keyId = Buffer.from(call.keyId, 'hex');
    let loggedIn = false;
    try {
      const flags = tokenFlags(slot);
      if (call.pin !== null || flags & pkcs11js.CKF_LOGIN_REQUIRED) {
        login(session, slot, call.pin, call.allowLastTry);
        loggedIn = true;
      }
      const [key] = find(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: keyId }], 1);
      if (!key) throw fail('KEY_NOT_FOUND', 'No private key with this id on the token.');
      const keyType = ulong(p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]?.value);
      const want = call.keyType === 'RSA' ? pkcs11js.CKK_RSA : pkcs11js.CKK_EC;
      if (keyType !== null && keyType !== want) throw fail('ALGORITHM_NOT_SUPPORTED', `This key is not an ${call.keyType} key.`);
      const m = call.mechanism;
      const mechanism: pkcs11js.Mechanism = m.pss
        ? { mechanism: m.mechanism, parameter: { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: m.pss.hashAlg, mgf: m.pss.mgf, saltLen: m.pss.saltLen } as pkcs11js.RsaPSS }
        : { mechanism: m.mechanism };
      p11.C_SignInit(session, mechanism, key);
      // A key that wants the PIN for each signature (a qualified signature key) gets it again here.
      const always = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE }])[0]?.value;
      if (Buffer.isBuffer(always) && always[0] === 1) {
        if (call.pin === null) p11.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC);
        else p11.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, call.pin);
      }
      const signature = p11.C_Sign(session, Buffer.from(call.data, 'base64'), Buffer.alloc(1024));
      const [cert] = find(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }, { type: pkcs11js.CKA_ID, value: keyId }], 1);
      const der = cert ? p11.C_GetAttributeValue(session, cert, [{ type: pkcs11js.CKA_VALUE }])[0]?.value : undefined;
      return { signature: signature.toString('base64'), certificate: Buffer.isBuffer(der) ? der.toString('base64') : null };
    } catch (e) {
      throw mapError(e, () => triesFromFlags(tokenFlags(slot)));
    } finally {
      if (loggedIn) {
        try {
          p11.C_Logout(session);
        } catch {
          // the session closes next
        }
      }
    }
  });
}

function run(call: HostCall): unknown {
  ensureLoaded();
  switch (call.op) {
    case 'info':
      return info();
    case 'slots':
      return slots();
    case 'certificates':
      return certificates(call.slotId);
    case 'mechanisms':
      return mechanisms(call.slotId);
    case 'sign':
      return sign(call);
  }
}

process.on('message', (msg: HostRequest) => {
  let reply: HostReply;
  try {
    reply = { id: msg.id, ok: true, value: run(msg) };
  } catch (e) {
    reply = { id: msg.id, ok: false, error: e instanceof HostError ? e.failure : mapError(e).failure };
  }
  process.send?.(reply);
});
// Ready: the call bound starts now, not while Node itself starts.
process.send?.({ ready: true });
// The connector went away: nothing left to serve.
process.on('disconnect', () => process.exit(0));
