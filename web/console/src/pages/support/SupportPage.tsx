import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CaseDetail } from './CaseDetail.js';
import { FindMerchant } from './FindMerchant.js';
import { WaitingCases } from './WaitingCases.js';

/**
 * The support desk for support agents (客服): find a merchant and open a case, record the identity checks, and approve
 * another agent's case (two-person rule). The open case is in the address (?case=sca_…), so a second agent opens it from
 * the cases waiting for approval, by its number or by its link.
 */
export function SupportPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const caseId = params.get('case');
  return (
    <>
      <Typography.Title level={1}>{t('support.title')}</Typography.Title>
      <Typography.Paragraph>{t('support.intro')}</Typography.Paragraph>
      {caseId ? (
        <CaseDetail key={caseId} id={caseId} onBack={() => setParams({})} />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <WaitingCases onOpen={(id) => setParams({ case: id })} />
          <FindMerchant
            q={params.get('q') ?? undefined}
            onSearch={(q) => setParams({ q })}
            onOpen={(id) => setParams({ case: id })}
          />
        </Space>
      )}
    </>
  );
}
