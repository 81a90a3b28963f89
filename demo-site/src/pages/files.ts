import type { FileEntry, FileType } from '@cardlink/web-sdk';
import type { App } from '../app.js';
import { formatBytes, notice } from '../errors.js';
import { fields, h, hex, replace } from '../lib/dom.js';
import { field, output, run, show, type Page } from '../ui.js';

const code = (s: string) => h('code', null, s);

/** The one line that says which way is which. */
export const directions = (): HTMLElement =>
  h(
    'p',
    { class: 'directions', 'data-testid': 'directions' },
    'Named from the device’s side: ',
    h('strong', null, 'download'),
    ' = this page → this computer’s disk, ',
    h('strong', null, 'upload'),
    ' = this computer’s disk → this page.',
  );

/** No file type is mapped for this site's application: say how to map one. */
export function noFileTypeNotice(app: App): HTMLElement {
  const label = app.info?.label ?? '<label>';
  return notice('warning', {
    state: 'no-file-type',
    title: 'No folder is shared with this site',
    text: ['This computer maps no file type for the application ', h('strong', null, label), '. A file type is a name pages use for a local folder; map one on this computer:'],
    hints: [
      [code(`connector files map <type> <folder> --labels ${label}`), ' (add ', code('--data-dir DIR'), ' for a connector started with one)'],
      ['for example ', code(`connector files map documents ~/Documents/cardlink --labels ${label}`), ', then reload this page. Pages never see the folder’s path, only the type’s name.'],
    ],
  });
}

/** "1.5 MB (1572864 bytes)", or "900 bytes". */
export const sizeText = (n: number): string => (n < 1024 ? formatBytes(n) : `${formatBytes(n)} (${n} bytes)`);

const when = (iso: string) => new Date(iso).toLocaleString();

export async function sha256(data: Blob): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', await data.arrayBuffer())));
}

const join = (...parts: string[]) => parts.filter((p) => p !== '').join('/');

export const filesPage: Page = {
  id: 'files',
  title: 'Files',
  intro: 'Exchange files with a folder this computer shares with this site (a file type mapped to a local folder). Pages see the type’s name, never the folder’s path.',
  needsCard: false,
  render(app: App) {
    const out = output('files');
    queueMicrotask(
      () =>
        void show(app, out, async () => {
          const types = await app.connector.files.types();
          return types.length === 0 ? noFileTypeNotice(app) : exchange(app, types);
        }),
    );
    return h('div', null, directions(), out);
  },
};

/** The type chooser, its folder's content, and the two directions. */
function exchange(app: App, types: FileType[]): HTMLElement {
  const typeSelect = h(
    'select',
    { name: 'type' },
    types.map((t) => h('option', { value: t.name }, `${t.name} — files up to ${formatBytes(t.maxSize)}`)),
  );
  let subfolder = '';
  let objectUrl: string | undefined;

  // --- The folder's content; a click on a file uploads it to this page. ---
  const where = h('p', { 'data-testid': 'folder' });
  const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => void list() }, 'Refresh');
  const listOut = output('file-list');
  const uploadOut = output('upload');

  const open = (sub: string) => {
    subfolder = sub;
    void list();
  };

  const list = () =>
    run(app, refresh, listOut, async () => {
      const type = typeSelect.value;
      replace(
        where,
        'Folder: ',
        h('strong', null, join(type, subfolder)),
        subfolder
          ? [' ', h('button', { type: 'button', class: 'secondary', onclick: () => open(subfolder.split('/').slice(0, -1).join('/')) }, 'Up one folder')]
          : null,
      );
      const entries = await app.connector.files.list(type, subfolder ? { subfolder } : {});
      if (entries.length === 0) return h('p', { class: 'muted', 'data-testid': 'files-empty' }, 'This folder is empty: download a file to it below.');
      const sorted = [...entries].sort((a, b) => Number(b.directory) - Number(a.directory) || a.name.localeCompare(b.name));
      return h(
        'table',
        { 'data-testid': 'files-table' },
        h('caption', null, `${entries.length} item${entries.length === 1 ? '' : 's'}; choose a file to upload it to this page`),
        h(
          'thead',
          null,
          h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Size'), h('th', { scope: 'col' }, 'Modified'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Action'))),
        ),
        h('tbody', null, sorted.map((e) => row(e, type))),
      );
    });

  const row = (e: FileEntry, type: string) =>
    h(
      'tr',
      { 'data-name': e.name, 'data-directory': e.directory ? 'true' : null },
      h('td', null, e.directory ? `${e.name}/` : e.name),
      h('td', { class: 'num' }, e.directory ? '—' : formatBytes(e.size)),
      h('td', null, h('time', { datetime: e.modifiedAt }, when(e.modifiedAt))),
      h(
        'td',
        null,
        e.directory
          ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Open the folder ${e.name}`, onclick: () => open(join(subfolder, e.name)) }, 'Open')
          : h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Upload ${e.name} to this page`,
                onclick: (ev: Event) => void upload(ev.currentTarget as HTMLButtonElement, type, e.name),
              },
              'Upload',
            ),
      ),
    );

  const upload = (button: HTMLButtonElement, type: string, name: string) => {
    const sub = subfolder;
    return run(app, button, uploadOut, async () => {
      const blob = await app.connector.files.upload(type, name, sub ? { subfolder: sub } : {});
      const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(blob);
      return h(
        'div',
        null,
        h('p', { class: 'verdict verdict-ok', 'data-testid': 'verdict' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Read from this computer'),
        fields(
          [
            ['File', join(type, sub, name)],
            ['Size', sizeText(blob.size)],
            ['SHA-256', h('code', { class: 'wrap' }, await sha256(blob))],
            ['First bytes', h('code', { class: 'wrap' }, head.length ? hex(head).replace(/(..)(?!$)/g, '$1 ') : '(empty file)')],
            ['Save', h('a', { href: objectUrl, download: name, 'data-testid': 'save' }, `Save “${name}”`)],
          ],
          { 'data-testid': 'upload-fields' },
        ),
        h('p', { class: 'muted' }, 'The bytes came from a one-time link of the connector; they are in this page only until you save them.'),
      );
    });
  };

  // --- Download: a file chosen in this page, stored in the folder. ---
  const file = h('input', { type: 'file', name: 'file', required: true });
  const sub = h('input', { type: 'text', name: 'subfolder', autocomplete: 'off', placeholder: 'e.g. 2026/03' });
  const overwrite = h('input', { type: 'checkbox', name: 'overwrite' });
  const submit = h('button', { type: 'submit' }, 'Download to this computer');
  const downloadOut = output('download');
  const form = h(
    'form',
    {
      class: 'form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void run(app, submit, downloadOut, async () => {
          const chosen = file.files?.[0];
          if (!chosen) return notice('warning', { state: 'no-file', title: 'Choose a file first', text: 'Pick the file to store on this computer.' });
          const type = typeSelect.value;
          const folder = sub.value.trim().replace(/^\/+|\/+$/g, '');
          const stored = await app.connector.files.download(type, chosen, { subfolder: folder || undefined, overwrite: overwrite.checked });
          const hash = await sha256(chosen);
          void list();
          return h(
            'div',
            null,
            h('p', { class: 'verdict verdict-ok', 'data-testid': 'verdict' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Stored on this computer'),
            fields(
              [
                ['Stored as', join(type, stored.path)],
                ['Size', sizeText(stored.size)],
                ['SHA-256 of the file sent', h('code', { class: 'wrap' }, hash)],
              ],
              { 'data-testid': 'download-fields' },
            ),
          );
        });
      },
    },
    field('File to store', file, 'Sent to the connector, which writes it into the shared folder.'),
    field('Sub-folder (optional)', sub, 'Inside the shared folder, with / between names; created if missing.'),
    h('p', null, h('label', { class: 'check' }, overwrite, ' Replace a file with the same name')),
    h('p', null, submit),
  );

  typeSelect.addEventListener('change', () => open(''));
  queueMicrotask(() => void list());

  return h(
    'div',
    null,
    field('File type', typeSelect, 'The folders this computer shares with this site.'),
    h('section', { 'aria-labelledby': 'files-h' }, h('h3', { id: 'files-h' }, 'On this computer'), where, listOut, h('p', null, refresh), uploadOut),
    h('section', { 'aria-labelledby': 'download-h' }, h('h3', { id: 'download-h' }, 'Download a file to this computer'), form, downloadOut),
  );
}
