/**
 * HTML built by the {@link html} template tag: every interpolated string is escaped, so document
 * texts, ids and rule names from a corpus can only ever show as text. Only {@link Html} values
 * (other templates, or {@link trustedHtml} constants of this module's callers) pass through as markup.
 */
export class Html {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What a template accepts: markup, text to escape, numbers, nothing, or lists of those. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as it must appear inside HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** Template tag: the literal parts are markup, the interpolations are escaped unless they are Html. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** A constant piece of markup (a style sheet): never pass text that came from a corpus. */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}
