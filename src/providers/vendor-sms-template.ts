import type { RenderedMessage, SendOutcome } from './provider.ts';

/**
 * The registered template a Chinese SMS vendor (Aliyun, Tencent) sends, as src/templates
 * writes it into `extras.sms` (`{ templateCode, params, signName? }`). These vendors send
 * only pre-approved templates under a registered sign name, so a message without a
 * template code fails for good, and so does one without a sign name (from the template or the
 * account) where the vendor needs one (all Aliyun numbers, Tencent mainland numbers).
 */

export interface VendorSmsTemplate {
  templateCode: string;
  /** Parameter name → rendered value, in the template's order (Tencent takes the values as an ordered list). */
  params: Record<string, string>;
  /** The template's sign name, else the account's. */
  signName?: string;
}

export type VendorSmsTemplateResult = { template: VendorSmsTemplate; outcome?: never } | { outcome: Extract<SendOutcome, { kind: 'failed' }>; template?: never };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Extras come back from the database as JSON, so they are read defensively: a malformed part counts as absent. */
export function vendorSmsTemplateOf(content: RenderedMessage, accountSignName: string | undefined, vendor: string): VendorSmsTemplateResult {
  const sms = isRecord(content.extras?.sms) ? content.extras.sms : {};
  if (!isText(sms.templateCode)) {
    return {
      outcome: {
        kind: 'failed',
        code: 'SMS_TEMPLATE_CODE_MISSING',
        message: `${vendor} sends only registered templates: set channels.sms.templateCode (and params) in the Herald template`,
      },
    };
  }
  const signName = isText(sms.signName) ? sms.signName : accountSignName;
  const params = Object.fromEntries(Object.entries(isRecord(sms.params) ? sms.params : {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return { template: { templateCode: sms.templateCode, params, ...(signName ? { signName } : {}) } };
}

/** A send that needs a sign name and has none. */
export function signNameMissing(vendor: string): Extract<SendOutcome, { kind: 'failed' }> {
  return {
    kind: 'failed',
    code: 'SMS_SIGN_NAME_MISSING',
    message: `${vendor} needs a registered sign name: set signName on the channel account or channels.sms.signName in the template`,
  };
}
