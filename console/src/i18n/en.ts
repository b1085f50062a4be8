export default {
  common: {
    save: 'Save', cancel: 'Cancel', create: 'Create', edit: 'Edit', delete: 'Delete', retry: 'Try again', close: 'Close', copy: 'Copy', copied: 'Copied',
    loading: 'Loading…', empty: 'Nothing here yet', loadFailed: 'Could not load', actions: 'Actions', name: 'Name', description: 'Description', status: 'Status',
    createdAt: 'Created', required: '{field} is required', never: 'never', yes: 'Yes', no: 'No', more: 'Load more', saved: 'Saved', refresh: 'Refresh',
    confirm: 'Are you sure?', language: 'Language', search: 'Search', reset: 'Reset', all: 'All', send: 'Send', noApp: 'Create an app first: every channel account, template and message belongs to one.',
  },
  auth: {
    setupTitle: 'Set up Herald', setupIntro: 'Create the first owner account. Setup closes as soon as one user exists.',
    loginTitle: 'Sign in to Herald', email: 'E-mail', password: 'Password', yourName: 'Your name', createOwner: 'Create owner and continue',
    signIn: 'Sign in', signOut: 'Sign out', setupClosed: 'Setup is already done; sign in instead.', passwordHint: 'A long passphrase; weak passwords are refused.',
  },
  nav: { main: 'Main', apps: 'Apps & keys', channelAccounts: 'Channel accounts', templates: 'Templates', messages: 'Messages', app: 'App', role: 'Role', readOnly: 'Read-only: your role ({role}) cannot change anything' },
  apps: {
    title: 'Apps', create: 'New app', keys: 'Access keys', newKey: 'New access key', secretOnce: 'Copy the secret now: Herald shows it only this once.',
    accessKeyId: 'Access key ID', secret: 'Secret access key', lastUsed: 'Last used', revoke: 'Revoke', rotate: 'Rotate', revoked: 'Revoked', active: 'Active',
    revokeConfirm: 'Revoke {key}? Calls signed with it are refused from now on.', rotateConfirm: 'Create a new key for this app and revoke {key}?', rotated: 'New key created; {key} revoked',
    nameHint: 'Lowercase letters, digits and dashes', noKeys: 'No access keys: create one for the calling system.', selectApp: 'Select an app to see its keys',
  },
  accounts: {
    title: 'Channel accounts', create: 'New channel account', type: 'Provider', channel: 'Channel', enabled: 'Enabled', default: 'Default',
    config: 'Configuration', flowLimits: 'Flow limits', flowLimitsHint: 'Sends per window, enforced across all workers; empty: the provider defaults', addWindow: 'Add window',
    count: 'Sends', perSeconds: 'per seconds', secretKept: 'Stored; leave empty to keep it', writeOnly: 'write-only', testSend: 'Test send', testSent: 'Test message {id} accepted',
    receiver: 'Receiver', receiverKind: 'Receiver kind', testTitle: 'Herald test', testBody: 'A test message from the Herald console.', providerDefaults: 'provider defaults', deleteConfirm: 'Delete channel account {name}?',
  },
  templates: {
    title: 'Templates', create: 'New template', code: 'Code', published: 'Published version', draft: 'Unpublished changes', editTitle: 'Template {code}',
    variables: 'Variables', variablesHint: `JSON array: [{'{'}"name": "order", "type": "string", "example": "A-1001"{'}'}]`, content: 'Content', subject: 'Title', body: 'Body', bodyFormat: 'Format',
    defaultChannels: 'Default channels', preview: 'Live preview', previewData: 'Preview data (JSON)', saveDraft: 'Save draft', publish: 'Publish', publishedAs: 'Published as version {version}',
    testSend: 'Test send', previewEmpty: 'Nothing rendered for this channel', invalidJson: '{field} is not valid JSON: {message}', notPublished: 'not published',
  },
  messages: {
    title: 'Messages', id: 'Message', template: 'Template', channel: 'Channel', receiver: 'Receiver', type: 'Type', reason: 'Reason code', from: 'From', to: 'To',
    deliveries: 'Deliveries', pending: 'pending', trail: 'Trail', cancel: 'Cancel message', recall: 'Recall', retryDelivery: 'Retry', attempts: 'Attempts', error: 'Error',
    detailTitle: 'Message {id}', canceled: 'Canceled', recalled: 'Recall requested', retried: 'Delivery queued again', data: 'Data', metadata: 'Metadata', back: 'All messages',
    status: { accepted: 'Accepted', completed: 'Completed', partially_failed: 'Partially failed', failed: 'Failed', canceled: 'Canceled' },
  },
  dashboard: {
    nav: 'Dashboard', title: 'Dashboard', calls: 'Provider calls by channel', range: 'Time range', lastHours: 'Last {hours} h', noCalls: 'No provider calls in this time range',
    channel: 'Channel', succeeded: 'Succeeded', failed: 'Failed', successRate: 'Success rate', quotas: 'Provider quotas', noAccounts: 'No channel accounts',
    account: 'Account', configured: 'Configured', reported: 'Reported by the platform', remaining: 'Remaining', exhausted: 'Exhausted', unknown: 'unknown',
    usedOf: '{used} of {limit} used', period: { day: 'day', month: 'month', balance: 'balance' },
    openAlarms: 'Open alarms', noAlarms: 'No open alarms', rule: 'Rule', subject: 'Subject', firedAt: 'Fired',
    backlog: 'Backlog', waiting: { queued: 'Queued', scheduled: 'Scheduled', retrying: 'Retrying' }, oldestDue: 'Oldest due for', seconds: 's',
  },
  alarms: {
    nav: 'Alarms', title: 'Alarms', create: 'New alarm rule', editTitle: 'Alarm rule {name}', rules: 'Rules', history: 'History', noRules: 'No alarm rules', noAlarms: 'No alarms',
    kind: 'Kind', params: 'Parameters (JSON)', scope: 'Scope', scopeValue: 'Account id or name, or channel', wholeApp: 'Whole app', account: 'One account', channel: 'One channel',
    to: 'Receivers', toHint: 'Subscriber ids separated by commas, or JSON as POST /v1/messages takes "to"', channels: 'Channels', holdDown: 'Hold-down (seconds)', enabled: 'Enabled',
    lastEvaluated: 'Last evaluated', deleteConfirm: 'Delete alarm rule {name}? Its open alarms close without a message.', badJson: '{field} is not valid JSON',
    rule: 'Rule', subject: 'Subject', value: 'Value', since: 'Fired since', firedAt: 'Fired', resolvedAt: 'Resolved', open: 'Open', resolved: 'Resolved',
    kinds: { quota_remaining: 'Quota remaining', success_rate: 'Success rate', backlog_age: 'Backlog age', callbacks_failing: 'Callbacks failing', circuit_open: 'Circuit open' },
  },
  auditLog: {
    nav: 'Audit log', title: 'Audit log', adminsOnly: 'The audit log is for admins and owners.', allApps: 'All apps', app: 'App', actor: 'Actor',
    action: 'Action', target: 'Target', at: 'Time', address: 'Address', changes: 'Changes', before: 'Before', after: 'After',
  },
};
