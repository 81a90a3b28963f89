/** The languages of the connector's pages; English is the fallback. */
export const LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];

const en = {
  pinTitle: 'Enter your PIN',
  consentTitle: 'Allow access to your eID card?',
  settingsTitle: 'Cardlink connector settings',
  application: 'Application',
  website: 'Website',
  operation: 'Operation',
  'op.verify': 'Check your PIN',
  'op.authenticate': 'Identify yourself with your eID card (authentication)',
  'op.sign': 'Sign with your eID card (qualified signature)',
  'op.change': 'Change your PIN',
  givenByPage: 'given by the website, not checked by the connector',
  document: 'Document',
  digest: 'Digest to sign',
  algorithm: 'Algorithm',
  reader: 'Card reader',
  card: 'Card',
  triesLeft: 'PIN tries left',
  triesUnknown: 'not known before the first try',
  pin: 'PIN',
  currentPin: 'Current PIN',
  newPin: 'New PIN',
  repeatPin: 'New PIN again',
  lastTry: 'Use my last try (a wrong PIN now blocks the card)',
  ok: 'OK',
  cancel: 'Cancel',
  allow: 'Allow',
  refuse: 'Refuse',
  consentQuestion: 'Allow {label} ({origin}) to read your eID card?',
  consentExplain: 'It will be able to read your identity, address and photo from the card. You can withdraw this on the connector’s settings page.',
  wrongPin: 'Wrong PIN: {n} tries left.',
  wrongPinOne: 'Wrong PIN: 1 try left.',
  lastTryRefused: 'Only one try is left. Tick the box to use it.',
  pinFormat: 'A PIN has 4 to 12 digits.',
  pinsDiffer: 'The two new PINs differ.',
  blocked: 'The PIN is blocked.',
  done: 'Done. You can close this window.',
  cancelled: 'Cancelled. You can close this window.',
  failed: 'The operation failed: {code}. You can close this window.',
  expired: 'This request is no longer waiting (it was finished, cancelled or has expired). You can close this window.',
  allowedApps: 'Allowed applications',
  lastUse: 'Last use of the card',
  consent: 'Consent',
  never: 'never',
  notAsked: 'not given',
  notNeeded: 'not asked for',
  everySession: 'asked every session',
  forget: 'Forget',
  forgotten: 'Forgotten: {origin}.',
  noApps: 'No application is allowed on this connector.',
  pageOf: 'This page belongs to the Cardlink connector on this computer ({host}). Websites cannot read what you type here.',
} as const;

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const fr: Messages = {
  pinTitle: 'Saisissez votre code PIN',
  consentTitle: 'Autoriser l’accès à votre carte eID ?',
  settingsTitle: 'Paramètres du connecteur Cardlink',
  application: 'Application',
  website: 'Site web',
  operation: 'Opération',
  'op.verify': 'Vérifier votre code PIN',
  'op.authenticate': 'Vous identifier avec votre carte eID (authentification)',
  'op.sign': 'Signer avec votre carte eID (signature qualifiée)',
  'op.change': 'Changer votre code PIN',
  givenByPage: 'fourni par le site web, non vérifié par le connecteur',
  document: 'Document',
  digest: 'Empreinte à signer',
  algorithm: 'Algorithme',
  reader: 'Lecteur de carte',
  card: 'Carte',
  triesLeft: 'Essais PIN restants',
  triesUnknown: 'inconnu avant le premier essai',
  pin: 'Code PIN',
  currentPin: 'Code PIN actuel',
  newPin: 'Nouveau code PIN',
  repeatPin: 'Nouveau code PIN (encore)',
  lastTry: 'Utiliser mon dernier essai (un PIN erroné bloquera la carte)',
  ok: 'OK',
  cancel: 'Annuler',
  allow: 'Autoriser',
  refuse: 'Refuser',
  consentQuestion: 'Autoriser {label} ({origin}) à lire votre carte eID ?',
  consentExplain: 'L’application pourra lire votre identité, votre adresse et votre photo. Vous pouvez retirer cette autorisation dans les paramètres du connecteur.',
  wrongPin: 'Code PIN erroné : encore {n} essais.',
  wrongPinOne: 'Code PIN erroné : encore 1 essai.',
  lastTryRefused: 'Il ne reste qu’un essai. Cochez la case pour l’utiliser.',
  pinFormat: 'Un code PIN compte de 4 à 12 chiffres.',
  pinsDiffer: 'Les deux nouveaux codes PIN diffèrent.',
  blocked: 'Le code PIN est bloqué.',
  done: 'Terminé. Vous pouvez fermer cette fenêtre.',
  cancelled: 'Annulé. Vous pouvez fermer cette fenêtre.',
  failed: 'L’opération a échoué : {code}. Vous pouvez fermer cette fenêtre.',
  expired: 'Cette demande n’est plus en attente (terminée, annulée ou expirée). Vous pouvez fermer cette fenêtre.',
  allowedApps: 'Applications autorisées',
  lastUse: 'Dernière utilisation de la carte',
  consent: 'Consentement',
  never: 'jamais',
  notAsked: 'non donné',
  notNeeded: 'non demandé',
  everySession: 'demandé à chaque session',
  forget: 'Oublier',
  forgotten: 'Oublié : {origin}.',
  noApps: 'Aucune application n’est autorisée sur ce connecteur.',
  pageOf: 'Cette page appartient au connecteur Cardlink de cet ordinateur ({host}). Les sites web ne peuvent pas lire ce que vous tapez ici.',
};

const nl: Messages = {
  pinTitle: 'Voer uw pincode in',
  consentTitle: 'Toegang tot uw eID-kaart toestaan?',
  settingsTitle: 'Instellingen van de Cardlink-connector',
  application: 'Toepassing',
  website: 'Website',
  operation: 'Handeling',
  'op.verify': 'Uw pincode controleren',
  'op.authenticate': 'U identificeren met uw eID-kaart (authenticatie)',
  'op.sign': 'Ondertekenen met uw eID-kaart (gekwalificeerde handtekening)',
  'op.change': 'Uw pincode wijzigen',
  givenByPage: 'opgegeven door de website, niet gecontroleerd door de connector',
  document: 'Document',
  digest: 'Te ondertekenen hash',
  algorithm: 'Algoritme',
  reader: 'Kaartlezer',
  card: 'Kaart',
  triesLeft: 'Resterende pogingen',
  triesUnknown: 'onbekend vóór de eerste poging',
  pin: 'Pincode',
  currentPin: 'Huidige pincode',
  newPin: 'Nieuwe pincode',
  repeatPin: 'Nieuwe pincode (opnieuw)',
  lastTry: 'Mijn laatste poging gebruiken (een foute pincode blokkeert de kaart)',
  ok: 'OK',
  cancel: 'Annuleren',
  allow: 'Toestaan',
  refuse: 'Weigeren',
  consentQuestion: '{label} ({origin}) toestaan uw eID-kaart te lezen?',
  consentExplain: 'De toepassing kan dan uw identiteit, adres en foto van de kaart lezen. U kunt dit intrekken op de instellingenpagina van de connector.',
  wrongPin: 'Foute pincode: nog {n} pogingen.',
  wrongPinOne: 'Foute pincode: nog 1 poging.',
  lastTryRefused: 'Er is nog maar één poging over. Vink het vakje aan om ze te gebruiken.',
  pinFormat: 'Een pincode heeft 4 tot 12 cijfers.',
  pinsDiffer: 'De twee nieuwe pincodes verschillen.',
  blocked: 'De pincode is geblokkeerd.',
  done: 'Klaar. U kunt dit venster sluiten.',
  cancelled: 'Geannuleerd. U kunt dit venster sluiten.',
  failed: 'De handeling is mislukt: {code}. U kunt dit venster sluiten.',
  expired: 'Deze aanvraag wacht niet meer (afgerond, geannuleerd of verlopen). U kunt dit venster sluiten.',
  allowedApps: 'Toegelaten toepassingen',
  lastUse: 'Laatste gebruik van de kaart',
  consent: 'Toestemming',
  never: 'nooit',
  notAsked: 'niet gegeven',
  notNeeded: 'niet gevraagd',
  everySession: 'elke sessie gevraagd',
  forget: 'Vergeten',
  forgotten: 'Vergeten: {origin}.',
  noApps: 'Geen enkele toepassing is toegelaten op deze connector.',
  pageOf: 'Deze pagina hoort bij de Cardlink-connector op deze computer ({host}). Websites kunnen niet lezen wat u hier typt.',
};

const de: Messages = {
  pinTitle: 'Geben Sie Ihre PIN ein',
  consentTitle: 'Zugriff auf Ihre eID-Karte erlauben?',
  settingsTitle: 'Einstellungen des Cardlink-Connectors',
  application: 'Anwendung',
  website: 'Website',
  operation: 'Vorgang',
  'op.verify': 'Ihre PIN prüfen',
  'op.authenticate': 'Sich mit Ihrer eID-Karte ausweisen (Authentifizierung)',
  'op.sign': 'Mit Ihrer eID-Karte unterschreiben (qualifizierte Signatur)',
  'op.change': 'Ihre PIN ändern',
  givenByPage: 'von der Website angegeben, vom Connector nicht geprüft',
  document: 'Dokument',
  digest: 'Zu signierender Hashwert',
  algorithm: 'Algorithmus',
  reader: 'Kartenleser',
  card: 'Karte',
  triesLeft: 'Verbleibende PIN-Versuche',
  triesUnknown: 'vor dem ersten Versuch unbekannt',
  pin: 'PIN',
  currentPin: 'Aktuelle PIN',
  newPin: 'Neue PIN',
  repeatPin: 'Neue PIN (wiederholen)',
  lastTry: 'Meinen letzten Versuch verwenden (eine falsche PIN sperrt die Karte)',
  ok: 'OK',
  cancel: 'Abbrechen',
  allow: 'Erlauben',
  refuse: 'Ablehnen',
  consentQuestion: '{label} ({origin}) erlauben, Ihre eID-Karte zu lesen?',
  consentExplain: 'Die Anwendung kann dann Ihre Identität, Adresse und Ihr Foto von der Karte lesen. Sie können dies auf der Einstellungsseite des Connectors widerrufen.',
  wrongPin: 'Falsche PIN: noch {n} Versuche.',
  wrongPinOne: 'Falsche PIN: noch 1 Versuch.',
  lastTryRefused: 'Nur noch ein Versuch. Kreuzen Sie das Feld an, um ihn zu verwenden.',
  pinFormat: 'Eine PIN hat 4 bis 12 Ziffern.',
  pinsDiffer: 'Die beiden neuen PINs sind verschieden.',
  blocked: 'Die PIN ist gesperrt.',
  done: 'Fertig. Sie können dieses Fenster schließen.',
  cancelled: 'Abgebrochen. Sie können dieses Fenster schließen.',
  failed: 'Der Vorgang ist fehlgeschlagen: {code}. Sie können dieses Fenster schließen.',
  expired: 'Diese Anfrage wartet nicht mehr (abgeschlossen, abgebrochen oder abgelaufen). Sie können dieses Fenster schließen.',
  allowedApps: 'Zugelassene Anwendungen',
  lastUse: 'Letzte Nutzung der Karte',
  consent: 'Einwilligung',
  never: 'nie',
  notAsked: 'nicht erteilt',
  notNeeded: 'nicht verlangt',
  everySession: 'in jeder Sitzung gefragt',
  forget: 'Vergessen',
  forgotten: 'Vergessen: {origin}.',
  noApps: 'Keine Anwendung ist auf diesem Connector zugelassen.',
  pageOf: 'Diese Seite gehört zum Cardlink-Connector auf diesem Computer ({host}). Websites können nicht lesen, was Sie hier eingeben.',
};

const MESSAGES: Record<Lang, Messages> = { en, fr, nl, de };

/**
 * The best of our languages for an Accept-Language header (RFC 9110 weights; "fr-BE" matches
 * "fr"); English when none matches. Bounded: only the first 32 ranges are read.
 */
export function negotiate(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: Lang = 'en';
  let bestQ = 0;
  for (const part of value.slice(0, 512).split(',').slice(0, 32)) {
    const [range = '', ...params] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0] as Lang;
    if (!LANGUAGES.includes(primary)) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    if (Number.isFinite(q) && q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Messages of `lang`; `{name}` placeholders are replaced (the caller escapes for HTML). */
export function translator(lang: Lang): Translate {
  const m = MESSAGES[lang];
  return (key, vars) => m[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars?.[k] ?? ''));
}

export const messagesOf = (lang: Lang): Readonly<Messages> => MESSAGES[lang];
