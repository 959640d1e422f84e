/** The security page's refund policies section (退款策略与阈值): Chinese first, English second. */
export const policiesZh = {
  title: '退款策略与阈值',
  intro:
    '每个门店的退款策略：多少金额只需退款密钥、多少需要短信验证码、多少需要审批，以及退款上限和频率提醒。修改需要再次确认身份。',
  readOnly: '每个门店的退款策略。只有店主可以修改。',
  lockouts: '被锁定的终端、操作员和全商户退款锁在“概览”页面的提醒中查看和解锁。',
  lockoutsLink: '查看锁定与解锁',
  list: '各门店退款策略',
  edit: '修改',
  editNamed: '修改 {{name}} 的退款策略',
  formName: '{{name}} 的退款策略',
  save: '保存策略',
  saved: '“{{name}}”的退款策略已保存。',
  thresholdOrder: '不能低于“只需退款密钥”的金额',
  emptyNoCap: '留空表示不限。',
  fields: {
    keyOnlyMax: '只需退款密钥的最高金额',
    keyAndCodeMax: '退款密钥 + 短信验证码的最高金额（超过需审批）',
    originalTenderOnly: '只能原路退回',
    cashRefundCap: '现金退款单笔上限',
    operatorDailyAmount: '每位操作员每天退款金额上限',
    operatorDailyCount: '每位操作员每天退款笔数上限',
    storeDailyAmount: '门店每天退款金额上限',
    storeDailyCount: '门店每天退款笔数上限',
    velocityCount: '频率提醒：退款笔数',
    velocityWindow: '频率提醒：时间范围（分钟）',
  },
};

export const policiesEn: typeof policiesZh = {
  title: 'Refund policies and thresholds',
  intro:
    'Each store’s refund policy: up to which amount the refund key alone is enough, up to which an SMS code is also needed, above which an approval; daily caps and the velocity alert. Saving asks you to confirm it is you.',
  readOnly: 'Each store’s refund policy. Only owners can change it.',
  lockouts:
    'Locked terminals, operators and the merchant-wide refund lock are listed with Unlock in the dashboard’s alerts.',
  lockoutsLink: 'See lockouts and unlock',
  list: 'Refund policies of the stores',
  edit: 'Edit',
  editNamed: 'Edit refund policy of {{name}}',
  formName: 'Refund policy of {{name}}',
  save: 'Save policy',
  saved: 'The refund policy of “{{name}}” was saved.',
  thresholdOrder: 'Must not be below the key-alone amount',
  emptyNoCap: 'Leave empty for no cap.',
  fields: {
    keyOnlyMax: 'Refund key alone up to',
    keyAndCodeMax: 'Refund key and SMS code up to (above: approval)',
    originalTenderOnly: 'Original tender only',
    cashRefundCap: 'Largest cash refund',
    operatorDailyAmount: 'Daily refund amount per operator',
    operatorDailyCount: 'Daily refund count per operator',
    storeDailyAmount: 'Daily refund amount of the store',
    storeDailyCount: 'Daily refund count of the store',
    velocityCount: 'Velocity alert: refunds',
    velocityWindow: 'Velocity alert: within minutes',
  },
};
