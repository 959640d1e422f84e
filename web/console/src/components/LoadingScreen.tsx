import { Flex, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The whole page while the console asks who is signed in: the spinner with "加载中… / Loading…" in the page's own text
 * colour on its own background, announced as a status. (antd's full-screen spinner writes white text on a fading grey
 * mask, below WCAG AA's 4.5:1 for most of its fade.)
 */
export function LoadingScreen() {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" justify="center" gap="middle" style={{ minHeight: '100vh' }} role="status">
      <Spin />
      <Typography.Text>{t('shell.loading')}</Typography.Text>
    </Flex>
  );
}
