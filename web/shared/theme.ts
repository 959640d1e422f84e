/**
 * The brand blue, one shade darker than Ant Design's default #1677ff: white text on #1677ff is 4.1:1, below WCAG AA's
 * 4.5:1 for normal text; on #0958d9 it is above it. Used by both apps (antd theme token, antd-mobile CSS variable).
 */
export const PRIMARY_COLOR = '#0958d9';
