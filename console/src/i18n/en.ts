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
  messageTypes: {
    nav: 'Message types', title: 'Message types', create: 'New message type', editTitle: 'Message type {code}', intro: 'Each business event is a message type: a send names it and gets its channels, template, receivers and policies.',
    code: 'Code', codeHint: 'Code: a lowercase letter, then letters, digits, ".", "_" or "-" (at most 64)', category: 'Category', categoryHint: 'Free text, e.g. Server alerts',
    urgency: 'Urgency', urgencies: { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' }, critical: 'Critical', criticalHint: "Critical types reach subscribers who opted out; a disabled type refuses sends.",
    enabled: 'Enabled', disabled: 'Disabled', channels: 'Default channels', templateChannels: "the template's", template: 'Template', receivers: 'Receivers',
    groups: 'Receiver groups', noGroups: 'No receiver groups yet', subscribers: 'Subscribers', subscribersHint: 'External ids, separated by commas', otherReceivers: 'Also {count} other receiver(s) (addresses or accounts), kept as they are',
    policies: 'Policies', policiesHint: `JSON, e.g. {'{'}"quietHours": {'{'}"start": "22:00", "end": "08:00", "action": "hold"{'}'}, "dedupSeconds": 300{'}'}`, deleteConfirm: 'Delete message type {code}? Sends naming it are refused from then on.',
  },
  receiverGroups: {
    nav: 'Receiver groups', title: 'Receiver groups', create: 'New receiver group', editTitle: 'Receiver group {name}', intro: 'A group reaches its static members and every subscriber having all the tags of its filter, as they are when a message is accepted.',
    name: 'Name', members: 'Members', membersHint: 'Subscriber external ids, separated by commas', tagFilter: 'Tag filter', tagFilterHint: 'Tags, separated by commas: subscribers having all of them',
    reaches: 'Reaches now', showMembers: 'Who it reaches', nobody: 'Nobody yet', deleteConfirm: 'Delete receiver group {name}? Message types and sends naming it are refused from then on.',
  },
  schedules: {
    nav: 'Schedules', title: 'Schedules', create: 'New schedule', editTitle: 'Schedule {name}', when: 'When', once: 'Once at', nextRuns: 'Next runs', lastRun: 'Last run', runs: '{count} run(s)',
    pause: 'Pause', resume: 'Resume', kind: 'Repeats', repeating: 'On a cron expression', oneOff: 'Once', cron: 'Cron expression', timeZone: 'Time zone', at: 'At (your local time)',
    cronHint: '5 fields (minute hour day month weekday) or 6 with seconds first, read in the time zone (IANA, e.g. Asia/Shanghai).',
    missedTicks: 'Ticks missed while no scheduler ran', missed: { 'run-once': 'Send one message on recovery', skip: 'Skip them' },
    message: 'Message (the body of POST /v1/messages)', messageHint: `{'{'}"type": "report.daily", "data": {'{'}"region": "cn"{'}'}{'}'}`,
    status: { active: 'Active', paused: 'Paused', finished: 'Finished' }, outcome: { sent: 'Sent', skipped: 'Skipped', failed: 'Failed' }, deleteConfirm: 'Delete schedule {name}? Its coming runs are dropped.',
  },
};
