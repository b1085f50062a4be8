import type en from './en';

const zhCN: typeof en = {
  common: {
    save: '保存', cancel: '取消', create: '创建', edit: '编辑', delete: '删除', retry: '重试', close: '关闭', copy: '复制', copied: '已复制',
    loading: '加载中…', empty: '暂无数据', loadFailed: '加载失败', actions: '操作', name: '名称', description: '描述', status: '状态',
    createdAt: '创建时间', required: '请填写{field}', never: '从未', yes: '是', no: '否', more: '加载更多', saved: '已保存', refresh: '刷新',
    confirm: '确定吗？', language: '语言', search: '搜索', reset: '重置', all: '全部', send: '发送', noApp: '请先创建应用：渠道账号、模板和消息都属于某个应用。',
  },
  auth: {
    setupTitle: '初始化 Herald', setupIntro: '创建第一个所有者账号。一旦有用户存在，初始化即关闭。',
    loginTitle: '登录 Herald', email: '邮箱', password: '密码', yourName: '姓名', createOwner: '创建所有者并继续',
    signIn: '登录', signOut: '退出登录', setupClosed: '初始化已完成，请直接登录。', passwordHint: '请使用较长的口令；弱密码会被拒绝。',
  },
  nav: { main: '主导航', apps: '应用与密钥', channelAccounts: '渠道账号', templates: '消息模板', messages: '消息记录', app: '应用', role: '角色', readOnly: '只读：你的角色（{role}）不能修改任何内容' },
  apps: {
    title: '应用', create: '新建应用', keys: '访问密钥', newKey: '新建访问密钥', secretOnce: '请立即复制密钥：Herald 只显示这一次。',
    accessKeyId: 'Access Key ID', secret: 'Secret Access Key', lastUsed: '最近使用', revoke: '吊销', rotate: '轮换', revoked: '已吊销', active: '有效',
    revokeConfirm: '吊销 {key}？之后用它签名的请求都会被拒绝。', rotateConfirm: '为该应用创建新密钥并吊销 {key}？', rotated: '已创建新密钥；{key} 已吊销',
    nameHint: '小写字母、数字和短横线', noKeys: '暂无访问密钥：为调用系统创建一个。', selectApp: '选择一个应用以查看其密钥',
  },
  accounts: {
    title: '渠道账号', create: '新建渠道账号', type: '服务商', channel: '渠道', enabled: '启用', default: '默认',
    config: '配置', flowLimits: '流控', flowLimitsHint: '每个时间窗口内的发送数，对所有 worker 生效；留空则使用服务商默认值', addWindow: '添加窗口',
    count: '发送数', perSeconds: '每（秒）', secretKept: '已保存；留空则保持不变', writeOnly: '只写', testSend: '测试发送', testSent: '测试消息 {id} 已受理',
    receiver: '接收者', receiverKind: '接收者类型', testTitle: 'Herald 测试', testBody: '这是一条来自 Herald 控制台的测试消息。', providerDefaults: '服务商默认', deleteConfirm: '删除渠道账号 {name}？',
  },
  templates: {
    title: '消息模板', create: '新建模板', code: '编码', published: '已发布版本', draft: '有未发布的修改', editTitle: '模板 {code}',
    variables: '变量', variablesHint: `JSON 数组：[{'{'}"name": "order", "type": "string", "example": "A-1001"{'}'}]`, content: '内容', subject: '标题', body: '正文', bodyFormat: '格式',
    defaultChannels: '默认渠道', preview: '实时预览', previewData: '预览数据（JSON）', saveDraft: '保存草稿', publish: '发布', publishedAs: '已发布为版本 {version}',
    testSend: '测试发送', previewEmpty: '该渠道没有渲染内容', invalidJson: '{field}不是有效的 JSON：{message}', notPublished: '未发布',
  },
  messages: {
    title: '消息记录', id: '消息', template: '模板', channel: '渠道', receiver: '接收者', type: '消息类型', reason: '原因码', from: '开始', to: '结束',
    deliveries: '投递', pending: '待处理', trail: '轨迹', cancel: '取消消息', recall: '撤回', retryDelivery: '重试', attempts: '尝试次数', error: '错误',
    detailTitle: '消息 {id}', canceled: '已取消', recalled: '已请求撤回', retried: '投递已重新排队', data: '数据', metadata: '元数据', back: '全部消息',
    status: { accepted: '已受理', completed: '已完成', partially_failed: '部分失败', failed: '失败', canceled: '已取消' },
  },
  messageTypes: {
    nav: '消息类型', title: '消息类型', create: '新建消息类型', editTitle: '消息类型 {code}', intro: '每个业务事件是一个消息类型：发送时指定它，即可使用其渠道、模板、接收者和策略。',
    code: '编码', codeHint: '编码：以小写字母开头，之后为字母、数字、“.”、“_”或“-”（最多 64 个）', category: '分类', categoryHint: '自由文本，例如 服务器警告',
    urgency: '紧急程度', urgencies: { urgent: '紧急', high: '高', normal: '普通', low: '低' }, critical: '关键', criticalHint: '关键类型会送达已退订的订阅者；停用的类型拒绝发送。',
    enabled: '启用', disabled: '已停用', channels: '默认渠道', templateChannels: '使用模板的渠道', template: '模板', receivers: '接收者',
    groups: '接收组', noGroups: '还没有接收组', subscribers: '订阅者', subscribersHint: '外部 ID，以逗号分隔', otherReceivers: '另有 {count} 个其他接收者（地址或账号），保持不变',
    policies: '策略', policiesHint: `JSON，例如 {'{'}"quietHours": {'{'}"start": "22:00", "end": "08:00", "action": "hold"{'}'}, "dedupSeconds": 300{'}'}`, deleteConfirm: '删除消息类型 {code}？之后指定它的发送将被拒绝。',
  },
  receiverGroups: {
    nav: '接收组', title: '接收组', create: '新建接收组', editTitle: '接收组 {name}', intro: '接收组包含其固定成员，以及拥有筛选条件中全部标签的订阅者（以消息受理时为准）。',
    name: '名称', members: '成员', membersHint: '订阅者外部 ID，以逗号分隔', tagFilter: '标签筛选', tagFilterHint: '标签，以逗号分隔：拥有全部这些标签的订阅者',
    reaches: '当前覆盖', showMembers: '覆盖的订阅者', nobody: '暂无', deleteConfirm: '删除接收组 {name}？之后指定它的消息类型和发送将被拒绝。',
  },
  schedules: {
    nav: '定时任务', title: '定时任务', create: '新建定时任务', editTitle: '定时任务 {name}', when: '时间', once: '一次于', nextRuns: '接下来的运行', lastRun: '上次运行', runs: '已运行 {count} 次',
    pause: '暂停', resume: '恢复', kind: '重复方式', repeating: '按 Cron 表达式', oneOff: '仅一次', cron: 'Cron 表达式', timeZone: '时区', at: '时间（本地时间）',
    cronHint: '5 个字段（分 时 日 月 周），或以秒开头的 6 个字段，按所选时区（IANA，例如 Asia/Shanghai）解释。',
    missedTicks: '调度器停机期间错过的运行', missed: { 'run-once': '恢复后发送一条', skip: '跳过' },
    message: '消息（POST /v1/messages 的请求体）', messageHint: `{'{'}"type": "report.daily", "data": {'{'}"region": "cn"{'}'}{'}'}`,
    status: { active: '运行中', paused: '已暂停', finished: '已完成' }, outcome: { sent: '已发送', skipped: '已跳过', failed: '失败' }, deleteConfirm: '删除定时任务 {name}？之后的运行将不再执行。',
  },
  announcements: {
    nav: '公告', title: '公告', create: '新建公告', editTitle: '编辑“{title}”', empty: '暂无公告', titleField: '标题', summary: '摘要', body: '正文（Markdown）',
    bodyHint: '**粗体**、_斜体_、[链接](https://example.com)、列表…', preview: '预览', previewHint: 'HTML 标签会被丢弃（保留其文字）；收件箱显示 Herald 保存时的渲染结果。',
    audience: '受众', audienceAll: '所有人', audienceGroup: '接收组', audienceTags: '带标签的订阅者', tagsHint: 'vip, beta（需全部具备）',
    publishAt: '发布时间', publishNow: '立即', expiresAt: '有效期至', noExpiry: '长期有效', severity: '级别', category: '分类', link: '链接',
    publish: '发布', withdraw: '撤回', withdrawn: '已从所有收件箱撤回', withdrawConfirm: '从所有收件箱撤回“{title}”？',
    status: { scheduled: '待发布', live: '生效中', expired: '已过期', withdrawn: '已撤回' },
    severities: { info: '信息', success: '成功', warning: '警告', error: '错误' },
  },
  users: {
    nav: '用户', title: '用户与角色', create: '新建用户', initialPassword: '初始密码', passwordShare: '请通过安全渠道把密码告诉该用户；登录后可自行修改。',
    created: '{email} 现在可以登录了', roleOf: '{email} 的角色', roleChanged: '{email} 的角色已改为{role}', lastLogin: '最近登录',
    disable: '停用', enable: '启用', disableConfirm: '停用 {email}？其会话将结束且无法登录。', disabled: '已停用 {email}', enabled: '已启用 {email}',
    adminsOnly: '只有管理员和所有者可以管理用户。',
    roles: { owner: '所有者', admin: '管理员', operator: '操作员', viewer: '只读用户' },
    statuses: { active: '正常', disabled: '已停用' },
  },
  accountExtras: {
    quota: '配额', period: '配额周期', limit: '允许发送数', timeZone: '重置时区', none: '无', reported: '平台报告',
    periods: { day: '每天', month: '每月', balance: '余额' },
    quotaHint: 'Herald 自行计数；超出后投递转到路由中的下一个账号或等待重置。余额不会自动重置：充值后请重新设置。',
    exhausted: '已耗尽', reset: '重置', resetConfirm: '清除 {name} 的耗尽标记？它将立即恢复发送。', resetDone: '{name} 已恢复发送',
    receiptUrl: '回执地址', rotate: '轮换', rotateConfirm: '为 {name} 生成新的回执地址？请在供应商控制台中设置；旧地址在一天内仍然有效。', rotated: '已生成新的回执地址：请在供应商控制台中设置',
  },
};
export default zhCN;
