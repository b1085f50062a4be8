import { LiquidError, TokenizationError, UndefinedVariableError, ParseError } from 'liquidjs';
import { HeraldError, unprocessable } from '../errors.ts';
import { ForbiddenTagError } from './liquid-engine.ts';

/**
 * Turns liquidjs errors into HeraldErrors that name the template, the field (e.g.
 * `body`, `channels.email.subject`, `locales.en.title`) and the position inside it.
 */
export interface TemplateErrorSite {
  templateCode: string;
  /** Path of the template field, as it appears in the template content. */
  field: string;
}

export function templateError(error: unknown, site: TemplateErrorSite): HeraldError {
  if (error instanceof HeraldError) return error;
  if (!(error instanceof Error)) return unprocessable('TEMPLATE_RENDER_ERROR', `Template "${site.templateCode}" failed in ${site.field}: ${String(error)}`, { ...site });

  const position = error instanceof LiquidError ? positionOf(error) : undefined;
  const where = `${site.field}${position ? ` (line ${position.line}, column ${position.column})` : ''}`;
  const details = { templateCode: site.templateCode, field: site.field, ...position };
  const cause = error instanceof LiquidError ? (error.originalError ?? error) : error;
  const reason = describe(error);

  if (cause instanceof ForbiddenTagError) {
    return unprocessable(
      'TEMPLATE_TAG_FORBIDDEN',
      `Template "${site.templateCode}" uses {% ${cause.tag} %} in ${where}, which is not allowed: a template cannot load other templates or files.`,
      { ...details, tag: cause.tag },
    );
  }
  if (error instanceof UndefinedVariableError) {
    const variable = /undefined variable: (.+)$/.exec(reason)?.[1] ?? reason;
    return unprocessable(
      'TEMPLATE_VARIABLE_MISSING',
      `Template "${site.templateCode}" uses variable "${variable}" in ${where}, but the message data does not provide it. ` +
        `Provide it, or guard it with {% if ${variable} %} or | default.`,
      { ...details, variable },
    );
  }
  const filter = /^undefined filter: (\S+)/.exec(reason)?.[1];
  if (filter) {
    return unprocessable('TEMPLATE_FILTER_UNKNOWN', `Template "${site.templateCode}" uses unknown filter "${filter}" in ${where}.`, { ...details, filter });
  }
  if (/limit exceeded/.test(reason)) {
    return unprocessable('TEMPLATE_LIMIT_EXCEEDED', `Template "${site.templateCode}" exceeded a rendering limit in ${where}: ${reason}.`, details);
  }
  if (error instanceof ParseError || error instanceof TokenizationError) {
    return unprocessable('TEMPLATE_SYNTAX_ERROR', `Template "${site.templateCode}" has a Liquid syntax error in ${where}: ${reason}.`, details);
  }
  return unprocessable('TEMPLATE_RENDER_ERROR', `Template "${site.templateCode}" failed to render ${where}: ${reason}.`, details);
}

/** liquidjs appends ", line:2, col:4" to messages; the position is reported separately. */
function describe(error: Error): string {
  return error.message.replace(/, line:\d+, col:\d+$/, '');
}

function positionOf(error: LiquidError): { line: number; column: number } | undefined {
  // Errors raised before a token exists (limits) carry none.
  const [line, column] = error.token?.getPosition() ?? [];
  return line !== undefined && column !== undefined ? { line, column } : undefined;
}
