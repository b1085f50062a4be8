// @ts-check
/**
 * <herald-inbox>: Herald's in-app inbox as a framework-free custom element (no build step, no
 * dependencies). It talks to the subscriber-facing API /inbox/v1 (see docs/inbox-widget.md):
 * requests carry the app in the query and the subscriber's proof (hash or token) in headers;
 * the live stream (EventSource, which cannot send headers) carries them in its query.
 *
 * Everything that comes from the server is treated as untrusted: text goes in with textContent,
 * bodyHtml is rebuilt node by node from an allow-list, and only http(s) URLs become links.
 */

/**
 * @typedef {{ label: string, url: string }} Action
 * @typedef {{ id: string, kind: string, title: string, summary: string | null, bodyHtml: string | null,
 *   link: string | null, category: string | null, severity: string, actions: Action[], data: object,
 *   createdAt: string, validUntil: string | null, readAt: string | null, archivedAt: string | null }} Entry
 * @typedef {{ unread: number, byCategory: Record<string, number> }} Counts
 */

const MESSAGES = {
  en: {
    bell: 'Notifications',
    bellUnread: (/** @type {number} */ n) => `Notifications, ${n} unread`,
    title: 'Notifications',
    all: 'All',
    inbox: 'Inbox',
    archived: 'Archived',
    markAllRead: 'Mark all as read',
    markRead: 'Mark as read',
    markUnread: 'Mark as unread',
    archive: 'Archive',
    unarchive: 'Move to inbox',
    back: 'Back',
    close: 'Close',
    loadMore: 'Load more',
    loading: 'Loading…',
    empty: 'No notifications',
    emptyArchived: 'Nothing archived',
    error: 'Notifications could not be loaded.',
    actionFailed: 'That did not work. Please try again.',
    retry: 'Retry',
    open: 'Open link',
    unread: 'Unread',
    categories: 'Categories',
    justNow: 'just now',
    enablePush: 'Enable desktop notifications',
    pushFailed: 'Desktop notifications could not be turned on.',
  },
  'zh-CN': {
    bell: '通知',
    bellUnread: (/** @type {number} */ n) => `通知，${n} 条未读`,
    title: '通知',
    all: '全部',
    inbox: '收件箱',
    archived: '已归档',
    markAllRead: '全部标为已读',
    markRead: '标为已读',
    markUnread: '标为未读',
    archive: '归档',
    unarchive: '移回收件箱',
    back: '返回',
    close: '关闭',
    loadMore: '加载更多',
    loading: '加载中…',
    empty: '暂无通知',
    emptyArchived: '没有已归档的通知',
    error: '通知加载失败。',
    actionFailed: '操作失败，请重试。',
    retry: '重试',
    open: '打开链接',
    unread: '未读',
    categories: '分类',
    justNow: '刚刚',
    enablePush: '开启桌面通知',
    pushFailed: '桌面通知开启失败。',
  },
};

const PAGE_SIZE = 20;
const MAX_RECONNECT_DELAY_MS = 30_000;

// The allow-list for bodyHtml: anything else is dropped (with its content for the dangerous ones).
const ALLOWED_TAGS = new Set(['p', 'br', 'hr', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'code', 'pre', 'kbd', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img']);
const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math', 'form', 'textarea', 'select', 'title', 'head']);
/** @type {Record<string, string[]>} */
const ALLOWED_ATTRIBUTES = { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height', 'title'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'], ol: ['start'] };

/** The URL as a string when it is absolute http(s), otherwise null (no javascript:, data:, relative ...). */
function safeHttpUrl(/** @type {unknown} */ value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Rebuilds bodyHtml from an inert parse: DOMParser documents run no script and load nothing, and
 * only allow-listed elements and attributes are copied into the live fragment.
 */
export function sanitiseHtml(/** @type {string} */ html) {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const fragment = document.createDocumentFragment();
  /** @param {Node} from @param {Node} to */
  const copyChildren = (from, to) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.textContent ?? ''));
      } else if (child instanceof Element) {
        const tag = child.localName;
        if (DROPPED_WITH_CONTENT.has(tag)) continue;
        if (!ALLOWED_TAGS.has(tag)) {
          copyChildren(child, to);
          continue;
        }
        const element = document.createElement(tag);
        for (const name of ALLOWED_ATTRIBUTES[tag] ?? []) {
          const value = child.getAttribute(name);
          if (value === null) continue;
          if (name === 'href' || name === 'src') {
            const url = safeHttpUrl(value);
            if (url) element.setAttribute(name, url);
          } else {
            element.setAttribute(name, value);
          }
        }
        if (tag === 'a') {
          element.setAttribute('target', '_blank');
          element.setAttribute('rel', 'noopener noreferrer');
        }
        if (tag === 'img') element.setAttribute('referrerpolicy', 'no-referrer');
        copyChildren(child, element);
        to.appendChild(element);
      }
    }
  };
  copyChildren(parsed.body, fragment);
  return fragment;
}

/** Whether this browser can receive Web Push: service workers (secure contexts only), the Push API and notifications. */
function pushSupported() {
  return 'serviceWorker' in navigator && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';
}

/** base64url (the VAPID public key as Herald serves it) to the bytes pushManager.subscribe() wants. */
function base64UrlBytes(/** @type {string} */ value) {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(value.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** @param {ArrayBuffer | null | undefined} buffer @param {Uint8Array} bytes */
function sameBytes(buffer, bytes) {
  if (!buffer || buffer.byteLength !== bytes.length) return false;
  const view = new Uint8Array(buffer);
  return bytes.every((byte, index) => view[index] === byte);
}

/** The registration once it has an active worker: pushManager.subscribe() fails without one. @param {ServiceWorkerRegistration} registration */
function activated(registration) {
  if (registration.active) return Promise.resolve(registration);
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.reject(new Error('The service worker registered but has no worker to activate'));
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(registration);
      else if (worker.state === 'redundant') reject(new Error('The service worker failed to install (see the errors of its script)'));
    });
  });
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ class?: string, part?: string, text?: string, attrs?: Record<string, string> }} [options]
 * @param {(Node | null)[]} [children]
 */
function h(tag, options = {}, children = []) {
  const element = document.createElement(tag);
  if (options.class) element.className = options.class;
  if (options.part) element.setAttribute('part', options.part);
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child) element.appendChild(child);
  return element;
}

const STYLE = `
:host {
  --_accent: var(--herald-accent, #2563eb);
  --_bg: var(--herald-bg, #ffffff);
  --_fg: var(--herald-fg, #1f2328);
  --_muted: var(--herald-muted, #656d76);
  --_border: var(--herald-border, #d0d7de);
  --_hover: var(--herald-hover, #f3f4f6);
  --_radius: var(--herald-radius, 10px);
  --_font: var(--herald-font, system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif);
  --_width: var(--herald-panel-width, 380px);
  --_info: var(--herald-info, #2563eb);
  --_success: var(--herald-success, #16a34a);
  --_warning: var(--herald-warning, #d97706);
  --_error: var(--herald-error, #dc2626);
  display: inline-block; position: relative; font-family: var(--_font); color: var(--_fg);
}
:host([data-dark]) {
  --_bg: var(--herald-bg, #1f2328);
  --_fg: var(--herald-fg, #e6edf3);
  --_muted: var(--herald-muted, #9198a1);
  --_border: var(--herald-border, #3d444d);
  --_hover: var(--herald-hover, #2a3038);
  --_accent: var(--herald-accent, #4493f8);
}
[hidden] { display: none !important; }
button { font: inherit; color: inherit; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.bell { position: relative; display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px;
  border: 1px solid var(--_border); border-radius: 50%; background: var(--_bg); color: var(--_fg); padding: 0; }
.bell svg { width: 22px; height: 22px; }
.badge { position: absolute; top: -4px; right: -6px; min-width: 18px; height: 18px; padding: 0 5px; box-sizing: border-box;
  border-radius: 9px; background: var(--_error); color: #fff; font-size: 11px; font-weight: 600; line-height: 18px; text-align: center; }
.panel { position: absolute; right: 0; top: calc(100% + 8px); z-index: 1000; width: var(--_width); max-width: calc(100vw - 16px);
  max-height: min(560px, 80vh); display: flex; flex-direction: column; background: var(--_bg); color: var(--_fg);
  border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 10px 30px rgba(0,0,0,.18); overflow: hidden; font-size: 14px; }
.panel:focus { outline: none; }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--_border); }
header h2 { flex: 1; margin: 0; font-size: 15px; font-weight: 600; }
.link-button { border: 0; background: none; color: var(--_accent); padding: 4px 6px; border-radius: 6px; font-size: 13px; }
.link-button:hover { background: var(--_hover); }
.link-button:disabled { color: var(--_muted); cursor: default; background: none; }
.icon-button { border: 0; background: none; padding: 4px 8px; border-radius: 6px; font-size: 16px; line-height: 1; color: var(--_muted); }
.icon-button:hover { background: var(--_hover); }
.tabs { display: flex; gap: 4px; padding: 8px 12px 0; overflow-x: auto; border-bottom: 1px solid var(--_border); }
.tab { border: 0; background: none; padding: 6px 8px 8px; border-bottom: 2px solid transparent; color: var(--_muted); white-space: nowrap; font-size: 13px; }
.tab[aria-selected="true"] { color: var(--_fg); border-bottom-color: var(--_accent); font-weight: 600; }
.tab .count { margin-left: 4px; font-size: 11px; color: var(--_accent); }
.body { flex: 1; overflow-y: auto; }
ul.list { list-style: none; margin: 0; padding: 0; }
.item { border-bottom: 1px solid var(--_border); }
.item-open { display: grid; grid-template-columns: 4px 1fr auto; gap: 0 10px; width: 100%; text-align: left; border: 0; background: none; padding: 10px 12px; }
.item-open:hover { background: var(--_hover); }
.severity { grid-row: 1 / span 3; border-radius: 2px; background: var(--_info); }
.severity.success { background: var(--_success); } .severity.warning { background: var(--_warning); } .severity.error { background: var(--_error); }
.item-title { font-weight: 500; overflow-wrap: anywhere; }
.item[data-unread] .item-title { font-weight: 700; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--_accent); align-self: center; }
.item-summary { grid-column: 2 / span 2; color: var(--_muted); font-size: 13px; margin-top: 2px; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.item-time { grid-column: 2 / span 2; color: var(--_muted); font-size: 12px; margin-top: 4px; }
.state { padding: 32px 16px; text-align: center; color: var(--_muted); }
.state button { margin-top: 8px; }
.more { display: block; width: 100%; padding: 10px; border: 0; background: none; color: var(--_accent); }
.more:hover { background: var(--_hover); }
.detail { padding: 12px 14px 16px; }
.detail h3 { margin: 8px 0 4px; font-size: 16px; overflow-wrap: anywhere; }
.detail .meta { color: var(--_muted); font-size: 12px; margin-bottom: 10px; }
.detail .content { line-height: 1.55; overflow-wrap: anywhere; }
.detail .content img { max-width: 100%; height: auto; }
.detail .content a { color: var(--_accent); }
.detail .summary { color: var(--_muted); }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 14px; }
.button { display: inline-block; padding: 6px 12px; border-radius: calc(var(--_radius) - 4px); border: 1px solid var(--_border);
  background: var(--_bg); color: var(--_fg); text-decoration: none; font-size: 13px; }
.button.primary { background: var(--_accent); border-color: var(--_accent); color: #fff; }
.button:hover { filter: brightness(0.96); }
footer { display: flex; justify-content: space-between; padding: 6px 8px; border-top: 1px solid var(--_border); }
.notice { padding: 6px 12px; font-size: 12px; color: var(--_error); border-bottom: 1px solid var(--_border); }
`;

const BELL_ICON = 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z';

export class HeraldInbox extends HTMLElement {
  static observedAttributes = ['app', 'subscriber-id', 'subscriber-hash', 'token', 'api-base', 'lang', 'theme', 'web-push-worker'];

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    /** @type {Entry[]} */ this.items = [];
    /** @type {string | null} */ this.nextCursor = null;
    /** @type {Counts} */ this.counts = { unread: 0, byCategory: {} };
    /** @type {Set<string>} categories seen in items, kept so a tab does not vanish when its unread count drops to 0 */
    this.seenCategories = new Set();
    /** @type {Set<string>} entries already announced with herald:item */ this.announcedIds = new Set();
    /** @type {string | null} null = all categories */ this.category = null;
    this.archived = false;
    /** @type {string | null} */ this.openId = null;
    this.open = false;
    /** @type {'idle' | 'loading' | 'ready' | 'error'} */ this.listState = 'idle';
    this.notice = '';
    // The first counts are announced even when they are 0, so the host page can show its own badge.
    this.countsAnnounced = false;
    /** @type {EventSource | null} */ this.stream = null;
    this.streamBroken = false;
    this.reconnectDelayMs = 1000;
    /** @type {ReturnType<typeof setTimeout> | undefined} */ this.reconnectTimer = undefined;
    // Bumped on every (re)start and list reload, so answers to superseded requests are ignored.
    this.generation = 0;
    this.listGeneration = 0;
    this.darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
    this.onSchemeChange = () => this.applyTheme();
    this.onDocumentKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key === 'Escape' && this.open) {
        event.preventDefault();
        if (this.openId) this.showList();
        else this.setOpen(false, true);
      }
    };
    this.onDocumentClick = (/** @type {MouseEvent} */ event) => {
      if (this.open && !event.composedPath().includes(this)) this.setOpen(false, false);
    };

    const style = h('style', { text: STYLE });
    this.bell = h('button', { class: 'bell', part: 'bell', attrs: { type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'herald-panel' } });
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('fill', 'currentColor');
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', BELL_ICON);
    svg.appendChild(path);
    this.badge = h('span', { class: 'badge', part: 'badge', attrs: { 'aria-hidden': 'true' } });
    this.badge.hidden = true;
    this.bell.append(svg, this.badge);
    this.bell.addEventListener('click', () => this.setOpen(!this.open, false));
    this.panel = h('div', { class: 'panel', part: 'panel', attrs: { id: 'herald-panel', role: 'dialog', tabindex: '-1' } });
    this.panel.hidden = true;
    this.shadow.append(style, this.bell, this.panel);
  }

  get t() {
    return MESSAGES[this.language];
  }

  /** @returns {'en' | 'zh-CN'} */
  get language() {
    const wanted = this.getAttribute('lang') || navigator.language || 'en';
    return wanted.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  }

  get apiBase() {
    return (this.getAttribute('api-base') || new URL(import.meta.url).origin).replace(/\/+$/, '');
  }

  get configured() {
    return Boolean(this.getAttribute('app') && (this.getAttribute('token') || (this.getAttribute('subscriber-id') && this.getAttribute('subscriber-hash'))));
  }

  connectedCallback() {
    document.addEventListener('keydown', this.onDocumentKey);
    document.addEventListener('click', this.onDocumentClick);
    this.darkQuery.addEventListener('change', this.onSchemeChange);
    this.applyTheme();
    this.start();
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this.onDocumentKey);
    document.removeEventListener('click', this.onDocumentClick);
    this.darkQuery.removeEventListener('change', this.onSchemeChange);
    this.stop();
  }

  /** @param {string} name @param {string | null} before @param {string | null} after */
  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected) return;
    if (name === 'theme') this.applyTheme();
    else if (name === 'lang' || name === 'web-push-worker') this.render();
    else this.start();
  }

  applyTheme() {
    const theme = this.getAttribute('theme') || 'auto';
    this.toggleAttribute('data-dark', theme === 'dark' || (theme !== 'light' && this.darkQuery.matches));
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  start() {
    this.stop();
    this.generation += 1;
    this.items = [];
    this.nextCursor = null;
    this.counts = { unread: 0, byCategory: {} };
    this.seenCategories.clear();
    this.announcedIds.clear();
    this.openId = null;
    this.listState = 'idle';
    this.render();
    if (!this.configured) return;
    void this.refreshCounts();
    if (this.open) void this.loadList();
    this.connectStream();
  }

  stop() {
    clearTimeout(this.reconnectTimer);
    this.stream?.close();
    this.stream = null;
    this.streamBroken = false;
  }

  // ---- API -------------------------------------------------------------------------------------

  /** @param {string} path @param {Record<string, string | undefined>} [query] */
  url(path, query = {}) {
    const url = new URL(`${this.apiBase}/inbox/v1${path}`);
    url.searchParams.set('app', this.getAttribute('app') ?? '');
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    return url;
  }

  /** @param {string} method @param {string} path @param {{ query?: Record<string, string | undefined>, body?: unknown }} [options] */
  async request(method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json' };
    const subscriber = this.getAttribute('subscriber-id');
    const token = this.getAttribute('token');
    if (subscriber) headers['x-herald-subscriber'] = subscriber;
    if (token) headers.authorization = `Bearer ${token}`;
    else headers['x-herald-subscriber-hash'] = this.getAttribute('subscriber-hash') ?? '';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      mode: 'cors',
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(`${response.status} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? ''}`.trim());
    }
    return response.status === 204 ? null : response.json();
  }

  /**
   * Registers this browser for Web Push: asks for notification permission, registers the service
   * worker, subscribes with the app's VAPID key and stores the subscription for the subscriber.
   * Resolves with the stored subscription's id (wps_...); rejects with an Error saying what failed.
   * @param {string | URL} serviceWorkerUrl
   * @param {{ scope?: string }} [options] the service worker's scope (default: its script's folder)
   * @returns {Promise<string>}
   */
  async registerWebPush(serviceWorkerUrl, options = {}) {
    if (!pushSupported()) throw new Error('Web Push is not available: this browser has no Push API (or the page is not a secure context)');
    if (!this.configured) throw new Error('<herald-inbox> needs app and subscriber-id + subscriber-hash (or token) before registerWebPush');
    // Asked before anything else is awaited, while the click that led here still counts as the user gesture browsers require.
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      throw new Error(permission === 'denied' ? "Notification permission is denied for this site (the user can allow it in the browser's site settings)" : 'Notification permission was not granted (the prompt was dismissed)');
    }
    const [registration, publicKey] = await Promise.all([
      navigator.serviceWorker.register(serviceWorkerUrl, options.scope === undefined ? undefined : { scope: options.scope }).then(activated, (/** @type {Error} */ error) => {
        throw new Error(`The service worker ${serviceWorkerUrl} could not be registered: ${error.message}`);
      }),
      this.request('GET', '/web-push/vapid-public-key').then((/** @type {{ publicKey: string }} */ answer) => answer.publicKey, (/** @type {Error} */ error) => {
        throw new Error(`Herald did not give the VAPID public key: ${error.message}`);
      }),
    ]);
    const applicationServerKey = base64UrlBytes(publicKey);
    let subscription = await registration.pushManager.getSubscription();
    // A subscription made with another key (the app's key was replaced) cannot be reused, and blocks a new one.
    if (subscription && !sameBytes(subscription.options.applicationServerKey, applicationServerKey)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey }).catch((/** @type {Error} */ error) => {
      throw new Error(`The browser could not subscribe at its push service: ${error.message}`);
    });
    try {
      const stored = await this.request('POST', '/push-subscriptions', { body: subscription.toJSON() });
      return stored.id;
    } catch (error) {
      throw new Error(`Herald did not store the push subscription: ${/** @type {Error} */ (error).message}`);
    }
  }

  /** The panel's "enable desktop notifications" action: the outcome goes to the page as a herald:web-push event. */
  async enableWebPush() {
    /** @type {{ subscriptionId: string } | { error: string }} */
    let detail;
    try {
      detail = { subscriptionId: await this.registerWebPush(this.getAttribute('web-push-worker') ?? '') };
      this.notice = '';
    } catch (error) {
      detail = { error: /** @type {Error} */ (error).message };
      this.notice = this.t.pushFailed;
    }
    this.render();
    this.dispatchEvent(new CustomEvent('herald:web-push', { detail, bubbles: true, composed: true }));
  }

  async refreshCounts() {
    const generation = this.generation;
    try {
      const counts = await this.request('GET', '/counts');
      if (generation === this.generation) this.setCounts(counts);
    } catch {
      // The badge keeps its last value; the stream's next counts event, or the next action, corrects it.
    }
  }

  /** @param {Counts} counts */
  setCounts(counts) {
    const before = this.counts.unread;
    this.counts = { unread: Number(counts.unread) || 0, byCategory: counts.byCategory ?? {} };
    this.render();
    if (before !== this.counts.unread || !this.countsAnnounced) {
      this.countsAnnounced = true;
      this.dispatchEvent(new CustomEvent('herald:unread', { detail: { ...this.counts }, bubbles: true, composed: true }));
    }
  }

  listQuery(/** @type {string | null} */ cursor) {
    return { limit: String(PAGE_SIZE), archived: String(this.archived), category: this.category ?? undefined, cursor: cursor ?? undefined };
  }

  /** Loads the first page of the current view, replacing the list. */
  async loadList() {
    const generation = this.generation;
    const listGeneration = ++this.listGeneration;
    if (this.listState !== 'ready') this.listState = 'loading';
    this.render();
    try {
      const page = await this.request('GET', '/items', { query: this.listQuery(null) });
      if (generation !== this.generation || listGeneration !== this.listGeneration) return;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.rememberCategories(page.items);
      this.listState = 'ready';
    } catch {
      if (generation !== this.generation || listGeneration !== this.listGeneration) return;
      this.listState = 'error';
    }
    this.render();
  }

  async loadMore() {
    if (!this.nextCursor) return;
    const listGeneration = this.listGeneration;
    try {
      const page = await this.request('GET', '/items', { query: this.listQuery(this.nextCursor) });
      if (listGeneration !== this.listGeneration) return;
      const known = new Set(this.items.map((item) => item.id));
      this.items = [...this.items, ...page.items.filter((/** @type {Entry} */ item) => !known.has(item.id))];
      this.nextCursor = page.nextCursor;
      this.rememberCategories(page.items);
      this.notice = '';
    } catch {
      this.notice = this.t.actionFailed;
    }
    this.render();
  }

  /** @param {Entry[]} items */
  rememberCategories(items) {
    for (const item of items) if (item.category) this.seenCategories.add(item.category);
  }

  /** Runs a change, then re-reads the counts; a failure shows a notice instead of throwing. @param {() => Promise<void>} change */
  async act(change) {
    try {
      await change();
      this.notice = '';
    } catch {
      this.notice = this.t.actionFailed;
    }
    this.render();
    await this.refreshCounts();
  }

  /** @param {Entry} entry */
  replaceItem(entry) {
    this.items = this.items.map((item) => (item.id === entry.id ? entry : item));
  }

  /** @param {string} id @param {'read' | 'unread' | 'archive' | 'unarchive'} change */
  changeItem(id, change) {
    return this.act(async () => {
      const entry = await this.request('POST', `/items/${encodeURIComponent(id)}/${change}`);
      if (change === 'archive' || change === 'unarchive') {
        this.items = this.items.filter((item) => item.id !== id);
        if (this.openId === id) this.openId = null;
      } else {
        this.replaceItem(entry);
      }
    });
  }

  markAllRead() {
    return this.act(async () => {
      const counts = await this.request('POST', '/items/read-all', { body: this.category === null ? {} : { category: this.category } });
      const now = new Date().toISOString();
      this.items = this.items.map((item) => (item.readAt || (this.category !== null && item.category !== this.category) ? item : { ...item, readAt: now }));
      this.setCounts(counts);
    });
  }

  // ---- live stream -----------------------------------------------------------------------------

  connectStream() {
    if (typeof EventSource === 'undefined') return;
    const subscriber = this.getAttribute('subscriber-id');
    const token = this.getAttribute('token');
    const url = this.url('/stream', {
      subscriber: subscriber ?? undefined,
      token: token ?? undefined,
      subscriberHash: token ? undefined : (this.getAttribute('subscriber-hash') ?? undefined),
    });
    const stream = new EventSource(url);
    this.stream = stream;
    stream.addEventListener('open', () => {
      this.reconnectDelayMs = 1000;
      // Whatever happened while the connection was down, the first page and the counts are re-read.
      if (this.streamBroken) {
        this.streamBroken = false;
        this.reconcile();
      }
    });
    stream.addEventListener('error', () => {
      this.streamBroken = true;
      // EventSource retries network errors by itself, but gives up for good on an HTTP error answer.
      if (stream.readyState === EventSource.CLOSED && this.stream === stream) {
        this.reconnectTimer = setTimeout(() => {
          if (this.stream === stream) this.connectStream();
        }, this.reconnectDelayMs);
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
      }
    });
    stream.addEventListener('item', (event) => this.receiveItem(JSON.parse(/** @type {MessageEvent} */ (event).data)));
    stream.addEventListener('counts', (event) => this.setCounts(JSON.parse(/** @type {MessageEvent} */ (event).data)));
    stream.addEventListener('changed', () => this.reconcile());
    stream.addEventListener('reset', () => this.reconcile());
  }

  reconcile() {
    void this.refreshCounts();
    if (this.listState !== 'idle') void this.loadList();
  }

  /**
   * An entry from the stream. A resume may send again entries already seen (the server overlaps a
   * little), so entries are upserted by id, placed by time, and announced to the page only once.
   * @param {Entry} entry
   */
  receiveItem(entry) {
    if (entry.category) this.seenCategories.add(entry.category);
    const fits = !this.archived && (this.category === null || entry.category === this.category);
    if (this.items.some((item) => item.id === entry.id)) {
      this.replaceItem(entry);
    } else if (this.listState === 'ready' && fits) {
      const at = this.items.findIndex((item) => item.createdAt < entry.createdAt);
      // Older than the whole page: it belongs to a later page unless this is the last one.
      if (at !== -1 || this.nextCursor === null) this.items.splice(at === -1 ? this.items.length : at, 0, entry);
    }
    this.render();
    if (this.announcedIds.has(entry.id)) return;
    this.announcedIds.add(entry.id);
    this.dispatchEvent(new CustomEvent('herald:item', { detail: { item: entry }, bubbles: true, composed: true }));
  }

  // ---- navigation ------------------------------------------------------------------------------

  /** @param {boolean} open @param {boolean} returnFocus */
  setOpen(open, returnFocus) {
    if (open === this.open) return;
    this.open = open;
    this.openId = null;
    this.render();
    if (open) {
      if (this.listState === 'idle' && this.configured) void this.loadList();
      this.panel.focus();
    } else if (returnFocus) {
      this.bell.focus();
    }
  }

  /** @param {string | null} category */
  selectCategory(category) {
    this.category = category;
    this.openId = null;
    void this.loadList();
  }

  /** @param {boolean} archived */
  selectArchived(archived) {
    this.archived = archived;
    this.openId = null;
    void this.loadList();
  }

  /** @param {Entry} entry */
  openItem(entry) {
    this.openId = entry.id;
    this.render();
    this.focusKey('back');
    if (!entry.readAt) void this.changeItem(entry.id, 'read');
  }

  showList() {
    const id = this.openId;
    this.openId = null;
    this.render();
    this.focusKey(`item:${id}`);
  }

  /** @param {string} key */
  focusKey(key) {
    const target = /** @type {HTMLElement | null} */ (this.panel.querySelector(`[data-key="${CSS.escape(key)}"]`));
    target?.focus();
  }

  // ---- rendering -------------------------------------------------------------------------------

  /** Formats an ISO time as "3 minutes ago" in the widget's language. @param {string} iso */
  timeAgo(iso) {
    const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
    if (!Number.isFinite(seconds)) return '';
    if (Math.abs(seconds) < 45) return this.t.justNow;
    const format = new Intl.RelativeTimeFormat(this.language, { numeric: 'auto' });
    /** @type {[Intl.RelativeTimeFormatUnit, number][]} */
    const units = [['year', 31_536_000], ['month', 2_592_000], ['week', 604_800], ['day', 86_400], ['hour', 3_600], ['minute', 60]];
    for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
    return format.format(seconds, 'second');
  }

  render() {
    const t = this.t;
    const unread = this.counts.unread;
    this.badge.hidden = unread <= 0;
    this.badge.textContent = unread > 99 ? '99+' : String(unread);
    this.bell.setAttribute('aria-label', unread > 0 ? t.bellUnread(unread) : t.bell);
    this.bell.setAttribute('aria-expanded', String(this.open));
    this.panel.setAttribute('aria-label', t.title);
    this.panel.hidden = !this.open;
    if (!this.open) {
      this.panel.replaceChildren();
      return;
    }
    const focusedKey = /** @type {HTMLElement | null} */ (this.shadow.activeElement)?.dataset?.key;
    const entry = this.openId ? this.items.find((item) => item.id === this.openId) : undefined;
    const header = h('header', {}, [
      h('h2', { text: this.archived ? t.archived : t.title }),
      this.archived ? null : this.button('link-button', t.markAllRead, 'mark-all', () => void this.markAllRead(), unread === 0),
      this.button('icon-button', '×', 'close', () => this.setOpen(false, true), false, t.close),
    ]);
    const notice = this.notice ? h('div', { class: 'notice', text: this.notice, attrs: { role: 'alert' } }) : null;
    const body = h('div', { class: 'body' }, [entry ? this.renderDetail(entry) : this.renderList()]);
    // Offered only while the browser would still ask: once allowed or blocked, the page decides.
    const offerPush = Boolean(this.getAttribute('web-push-worker')) && pushSupported() && Notification.permission === 'default';
    const footer = h('footer', {}, [
      this.button('link-button', this.archived ? t.inbox : t.archived, 'view', () => this.selectArchived(!this.archived)),
      offerPush ? this.button('link-button', t.enablePush, 'enable-push', () => void this.enableWebPush()) : null,
    ]);
    this.panel.replaceChildren(...[header, entry ? null : this.renderTabs(), notice, body, footer].filter((node) => node !== null));
    if (focusedKey) this.focusKey(focusedKey);
  }

  /** @param {string} className @param {string} text @param {string} key @param {() => void} onClick @param {boolean} [disabled] @param {string} [label] */
  button(className, text, key, onClick, disabled = false, label) {
    const button = h('button', { class: className, text, attrs: { type: 'button', 'data-key': key } });
    if (label) button.setAttribute('aria-label', label);
    button.disabled = disabled;
    button.addEventListener('click', onClick);
    return button;
  }

  renderTabs() {
    const categories = new Set(this.seenCategories);
    for (const category of Object.keys(this.counts.byCategory)) if (category) categories.add(category);
    const tabs = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': this.t.categories } });
    /** @param {string | null} category @param {string} label */
    const tab = (category, label) => {
      const selected = this.category === category;
      const button = this.button('tab', label, `tab:${category ?? ''}`, () => this.selectCategory(category));
      button.setAttribute('role', 'tab');
      button.setAttribute('aria-selected', String(selected));
      const count = category === null ? this.counts.unread : (this.counts.byCategory[category] ?? 0);
      if (count > 0 && !this.archived) button.appendChild(h('span', { class: 'count', text: count > 99 ? '99+' : String(count) }));
      tabs.appendChild(button);
    };
    tab(null, this.t.all);
    for (const category of [...categories].sort()) tab(category, category);
    return tabs;
  }

  renderList() {
    const t = this.t;
    if (this.listState === 'loading' || this.listState === 'idle') return h('div', { class: 'state', text: t.loading, attrs: { role: 'status' } });
    if (this.listState === 'error') {
      return h('div', { class: 'state', attrs: { role: 'alert' } }, [h('div', { text: t.error }), this.button('button', t.retry, 'retry', () => void this.loadList())]);
    }
    if (this.items.length === 0) return h('div', { class: 'state', text: this.archived ? t.emptyArchived : t.empty });
    const list = h('ul', { class: 'list' });
    for (const item of this.items) {
      const open = h('button', { class: 'item-open', attrs: { type: 'button', 'data-key': `item:${item.id}` } }, [
        h('span', { class: `severity ${item.severity}`, attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'item-title', text: item.title }),
        item.readAt ? h('span') : h('span', { class: 'dot', attrs: { role: 'img', 'aria-label': t.unread } }),
        item.summary ? h('span', { class: 'item-summary', text: item.summary }) : null,
        h('time', { class: 'item-time', text: this.timeAgo(item.createdAt), attrs: { datetime: item.createdAt } }),
      ]);
      open.addEventListener('click', () => this.openItem(item));
      const row = h('li', { class: 'item', part: 'item', attrs: { 'data-id': item.id, 'data-severity': item.severity } }, [open]);
      if (!item.readAt) row.setAttribute('data-unread', '');
      list.appendChild(row);
    }
    const more = this.nextCursor ? this.button('more', t.loadMore, 'more', () => void this.loadMore()) : null;
    return h('div', {}, [list, more]);
  }

  /** @param {Entry} entry */
  renderDetail(entry) {
    const t = this.t;
    const content = h('div', { class: 'content' });
    if (entry.bodyHtml) content.appendChild(sanitiseHtml(entry.bodyHtml));
    else if (entry.summary) content.appendChild(h('p', { class: 'summary', text: entry.summary }));
    const buttons = h('div', { class: 'buttons' });
    const link = safeHttpUrl(entry.link);
    if (link) buttons.appendChild(h('a', { class: 'button primary', text: t.open, attrs: { href: link, target: '_blank', rel: 'noopener noreferrer' } }));
    for (const action of entry.actions ?? []) {
      const url = safeHttpUrl(action.url);
      if (url) buttons.appendChild(h('a', { class: 'button', text: action.label, attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } }));
    }
    buttons.appendChild(entry.readAt ? this.button('button', t.markUnread, 'unread', () => void this.changeItem(entry.id, 'unread')) : this.button('button', t.markRead, 'read', () => void this.changeItem(entry.id, 'read')));
    buttons.appendChild(this.button('button', entry.archivedAt ? t.unarchive : t.archive, 'archive', () => void this.changeItem(entry.id, entry.archivedAt ? 'unarchive' : 'archive')));
    return h('article', { class: 'detail', part: 'detail', attrs: { 'data-id': entry.id } }, [
      this.button('link-button', `← ${t.back}`, 'back', () => this.showList()),
      h('h3', { text: entry.title }),
      h('div', { class: 'meta', text: [entry.category, this.timeAgo(entry.createdAt)].filter(Boolean).join(' · ') }),
      content,
      buttons,
    ]);
  }
}

if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
