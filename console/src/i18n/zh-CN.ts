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
  dashboard: {
    nav: '概览', title: '概览', calls: '按渠道的服务商调用', range: '时间范围', lastHours: '最近 {hours} 小时', noCalls: '此时间范围内没有服务商调用',
    channel: '渠道', succeeded: '成功', failed: '失败', successRate: '成功率', quotas: '服务商配额', noAccounts: '没有渠道账号',
    account: '账号', configured: '已配置', reported: '平台报告', remaining: '剩余', exhausted: '已耗尽', unknown: '未知',
    usedOf: '已用 {used} / {limit}', period: { day: '天', month: '月', balance: '余额' },
    openAlarms: '未解决的告警', noAlarms: '没有未解决的告警', rule: '规则', subject: '对象', firedAt: '触发时间',
    backlog: '积压', waiting: { queued: '排队中', scheduled: '已计划', retrying: '重试中' }, oldestDue: '最早到期已等待', seconds: '秒',
  },
  alarms: {
    nav: '告警', title: '告警', create: '新建告警规则', editTitle: '告警规则 {name}', rules: '规则', history: '历史', noRules: '没有告警规则', noAlarms: '没有告警',
    kind: '类型', params: '参数（JSON）', scope: '范围', scopeValue: '账号 ID 或名称，或渠道', wholeApp: '整个应用', account: '单个账号', channel: '单个渠道',
    to: '接收者', toHint: '以逗号分隔的订阅者 ID，或与 POST /v1/messages 的 "to" 相同的 JSON', channels: '渠道', holdDown: '恢复保持（秒）', enabled: '启用',
    lastEvaluated: '上次评估', deleteConfirm: '删除告警规则 {name}？其未解决的告警将关闭且不发送消息。', badJson: '{field} 不是有效的 JSON',
    rule: '规则', subject: '对象', value: '数值', since: '触发时间不早于', firedAt: '触发时间', resolvedAt: '解决时间', open: '未解决', resolved: '已解决',
    kinds: { quota_remaining: '配额剩余', success_rate: '成功率', backlog_age: '积压时长', callbacks_failing: '回调失败', circuit_open: '熔断打开' },
  },
  auditLog: {
    nav: '审计日志', title: '审计日志', adminsOnly: '审计日志仅供管理员和所有者查看。', allApps: '全部应用', app: '应用', actor: '操作者',
    action: '操作', target: '对象', at: '时间', address: '地址', changes: '变更', before: '变更前', after: '变更后',
  },
};
export default zhCN;
