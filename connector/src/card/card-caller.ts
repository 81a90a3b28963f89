/**
 * Who asks for a card operation, as far as the card's security state is concerned: the
 * application (its allow-list entry) and the browser tab (the page's T1C-Session id, or an
 * id of its own for a request that sent none).
 */
export interface CardCaller {
  app: string;
  tab: string;
  /** How long a PIN this tab verified may be reused for `authenticate` (0: never). */
  pinReuseMs: number;
}

export const sameHolder = (a: CardCaller | null, b: CardCaller): boolean => a !== null && a.app === b.app && a.tab === b.tab;
