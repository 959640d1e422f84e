import { Button } from 'antd-mobile';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A big on-screen keypad (touch targets of at least 56 px) for gloved or hurried fingers on a counter terminal. */
export function Keypad({
  label,
  deleteLabel,
  clearLabel,
  onDigit,
  onDelete,
  onClear,
}: {
  label: string;
  deleteLabel: string;
  clearLabel: string;
  onDigit: (digit: string) => void;
  onDelete: () => void;
  onClear: () => void;
}) {
  return (
    <fieldset className="pos-keypad">
      <legend className="pos-visually-hidden">{label}</legend>
      {DIGITS.map((digit) => (
        <Button key={digit} size="large" onClick={() => onDigit(digit)}>
          {digit}
        </Button>
      ))}
      <Button size="large" onClick={onClear}>
        {clearLabel}
      </Button>
      <Button size="large" onClick={() => onDigit('0')}>
        0
      </Button>
      <Button size="large" onClick={onDelete} aria-label={deleteLabel}>
        ⌫
      </Button>
    </fieldset>
  );
}
