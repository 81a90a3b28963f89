import type { FileType, Printer, PrintJob, PrintJobState } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { errorNotice, formatBytes, notice } from '../errors.js';
import { fields, h, replace, uid } from '../lib/dom.js';
import { field, output, run, show, type Page } from '../ui.js';
import { noFileTypeNotice } from './files.js';

const code = (s: string) => h('code', null, s);

const STATE_TEXT: Record<PrintJobState, string> = {
  PENDING: 'Waiting in the queue',
  HELD: 'Held in the queue',
  PROCESSING: 'Printing',
  STOPPED: 'Stopped',
  CANCELED: 'Canceled',
  ABORTED: 'Aborted',
  COMPLETED: 'Completed',
  UNKNOWN: 'Unknown',
};
const FINAL: readonly PrintJobState[] = ['COMPLETED', 'CANCELED', 'ABORTED'];
const POLL_MS = 500;
const GIVE_UP_MS = 3 * 60_000;

const printerText = (p: Printer) => `${p.name}${p.description && p.description !== p.name ? ` — ${p.description}` : ''}${p.isDefault ? ' (default)' : ''} · ${p.state}`;

export const printPage: Page = {
  id: 'print',
  title: 'Print',
  intro: 'Print a file on a printer of this computer: a file from a folder it shares with this site, or a file you choose here. The job’s state is followed until it is done.',
  needsCard: false,
  render(app: App) {
    const out = output('printing');
    queueMicrotask(
      () =>
        void show(app, out, async () => {
          const [printers, types] = await Promise.all([app.connector.printers(), app.connector.files.types()]);
          if (printers.length === 0) {
            return notice('warning', {
              state: 'no-printer',
              title: 'No printer found',
              text: 'The print system of this computer (CUPS) lists no printer.',
              hints: [['Add one, for example the PDF printer of ', code('printer-driver-cups-pdf'), '; ', code('lpstat -p'), ' lists them.']],
            });
          }
          return printForm(app, printers, types);
        }),
    );
    return h('div', null, out);
  },
};

function printForm(app: App, printers: Printer[], types: FileType[]): HTMLElement {
  const printer = h(
    'select',
    { name: 'printer' },
    printers.map((p) => h('option', { value: p.name, selected: p.isDefault }, printerText(p))),
  );

  const mode = uid('source');
  const sharedRadio = h('input', { type: 'radio', name: mode, value: 'shared', checked: types.length > 0, disabled: types.length === 0 });
  const localRadio = h('input', { type: 'radio', name: mode, value: 'local', checked: types.length === 0 });

  // A file from a shared folder: the type, then one of its files.
  const typeSelect = h('select', { name: 'type' }, types.map((t) => h('option', { value: t.name }, t.name)));
  const fileSelect = h('select', { name: 'name', disabled: true }, h('option', null, 'Loading…'));
  const filesOut = output('print-files');
  const loadFiles = async () => {
    fileSelect.disabled = true;
    replace(fileSelect, h('option', null, 'Loading…'));
    filesOut.replaceChildren();
    try {
      const entries = (await app.connector.files.list(typeSelect.value)).filter((e) => !e.directory);
      replace(fileSelect, entries.map((e) => h('option', { value: e.name }, `${e.name} (${formatBytes(e.size)})`)));
      fileSelect.disabled = entries.length === 0;
      if (entries.length === 0) {
        replace(fileSelect, h('option', null, 'No file'));
        replace(filesOut, h('p', { class: 'muted' }, 'This folder has no file: store one on the Files page, or choose a file from this computer.'));
      }
    } catch (e) {
      replace(fileSelect, h('option', null, 'Unavailable'));
      replace(filesOut, errorNotice(e, app.url));
      app.report(e);
    }
  };
  typeSelect.addEventListener('change', () => void loadFiles());
  const sharedPart = h('div', null, field('File type', typeSelect), field('File', fileSelect), filesOut);
  if (types.length > 0) queueMicrotask(() => void loadFiles());

  // A file from this computer, chosen in the page.
  const local = h('input', { type: 'file', name: 'file' });
  const localPart = field('File to print', local, 'PDF, PostScript, text or an image. It goes to the print system only.');

  const switchMode = () => {
    sharedPart.hidden = !sharedRadio.checked;
    localPart.hidden = sharedRadio.checked;
  };
  sharedRadio.addEventListener('change', switchMode);
  localRadio.addEventListener('change', switchMode);
  switchMode();

  const title = h('input', { type: 'text', name: 'title', autocomplete: 'off' });
  const submit = h('button', { type: 'submit' }, 'Print');
  const out = output('print');

  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void run(app, submit, out, async () => {
          const common = { printer: printer.value, ...(title.value.trim() ? { title: title.value.trim() } : {}) };
          let job: PrintJob;
          if (sharedRadio.checked) {
            if (fileSelect.disabled) return notice('warning', { state: 'no-file', title: 'Choose a file first', text: 'Pick a file of the shared folder, or a file from this computer.' });
            job = await app.connector.print({ ...common, type: typeSelect.value, name: fileSelect.value });
          } else {
            const chosen = local.files?.[0];
            if (!chosen) return notice('warning', { state: 'no-file', title: 'Choose a file first', text: 'Pick the file to print.' });
            job = await app.connector.print({ ...common, file: chosen });
          }
          return follow(app, job);
        });
      },
    },
    field('Printer', printer),
    h(
      'fieldset',
      null,
      h('legend', null, 'What to print'),
      h('label', { class: 'check' }, sharedRadio, ' A file from a shared folder'),
      h('label', { class: 'check' }, localRadio, ' A file from this computer'),
    ),
    types.length === 0 ? noFileTypeNotice(app) : null,
    sharedPart,
    localPart,
    field('Title in the print queue (optional)', title, 'Default: the file’s name.'),
    h('p', null, submit),
  );
  return h('div', null, form, out);
}

/** The job: its id, then its state polled with printJob() until it is final. */
function follow(app: App, job: PrintJob): HTMLElement {
  const state = h('span', { 'data-testid': 'job-state' });
  const outcome = h('div', { 'aria-live': 'polite' });
  const view = h(
    'div',
    { 'data-testid': 'job' },
    fields([
      ['Job', h('code', { 'data-testid': 'job-id' }, job.id)],
      ['Printer', job.printer],
      ['State', state],
    ]),
    outcome,
  );
  const showState = (s: PrintJobState) => {
    const final = FINAL.includes(s);
    view.setAttribute('data-job-state', s);
    state.className = `badge ${s === 'COMPLETED' ? 'badge-ok' : final ? 'badge-bad' : ''}`;
    state.textContent = STATE_TEXT[s];
    if (s === 'COMPLETED') replace(outcome, h('p', { class: 'verdict verdict-ok', 'data-testid': 'verdict' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Printed'));
    else if (final) replace(outcome, h('p', { class: 'verdict verdict-bad', 'data-testid': 'verdict' }, h('span', { 'aria-hidden': 'true' }, '✗ '), `Not printed: the job was ${s.toLowerCase()}`));
    else if (s === 'STOPPED') replace(outcome, notice('warning', { state: 'printer-stopped', title: 'The printer is stopped', text: ['The job waits until the printer is enabled again (CUPS: ', code(`cupsenable ${job.printer}`), ').'] }));
    else if (s === 'HELD') replace(outcome, notice('info', { state: 'job-held', title: 'The job is held', text: 'It waits in the queue until it is released.' }));
    else replace(outcome, h('p', { class: 'working' }, 'Following the job…'));
    return final;
  };

  const started = Date.now();
  const poll = async (): Promise<void> => {
    if (!view.isConnected) return; // the page moved on
    try {
      const now = await app.connector.printJob(job.id);
      if (now === null) {
        replace(outcome, notice('info', { state: 'job-gone', title: 'The print system no longer knows this job', text: 'It may have been removed from the queue.' }));
        return;
      }
      if (showState(now.state)) return;
    } catch (e) {
      replace(outcome, errorNotice(e, app.url));
      app.report(e);
      return;
    }
    if (Date.now() - started > GIVE_UP_MS) {
      replace(outcome, notice('warning', { state: 'job-slow', title: 'The job is taking long', text: 'This page stopped following it; check the printer.' }));
      return;
    }
    setTimeout(() => void poll(), POLL_MS);
  };
  if (!showState(job.state)) setTimeout(() => void poll(), POLL_MS);
  return view;
}
