/**
 * A short, human summary of a User-Agent header ("Chrome 131 · Windows"), for the approver to recognise the browser
 * that asks to be signed in. Unknown agents are shown as given, cut short.
 */
export function summariseUserAgent(ua: string): string {
  const browser =
    match(ua, /MicroMessenger\/(\d+)/, 'WeChat') ??
    match(ua, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(ua, /(?:OPR|Opera)\/(\d+)/, 'Opera') ??
    match(ua, /Firefox\/(\d+)/, 'Firefox') ??
    match(ua, /(?:Chrome|CriOS)\/(\d+)/, 'Chrome') ??
    match(ua, /Version\/(\d+)[^)]*Safari\//, 'Safari');
  const os = /iPhone|iPad/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : undefined;
  if (!browser && !os) return ua.trim().slice(0, 80) || 'unknown';
  return [browser ?? 'browser', os].filter(Boolean).join(' · ');
}

function match(ua: string, pattern: RegExp, name: string): string | undefined {
  const found = pattern.exec(ua);
  return found ? `${name} ${found[1]}` : undefined;
}
