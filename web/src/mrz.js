// ICAO 9303 machine readable zones typed or pasted (TD1, TD2, TD3):
// fields and check digits, so the screen can check the document and the
// holder at once. The server checks the document itself; this only reads.
const val = (c) => (c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : -1);
export function checkDigit(s) {
  let sum = 0;
  for (let i = 0; i < s.length; i++) { const v = val(s[i]); if (v < 0) return -1; sum += v * [7, 3, 1][i % 3]; }
  return sum % 10;
}
const clean = (s) => s.replace(/<+$/, '').replace(/</g, ' ').trim();
function date(yymmdd, future) {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = +yymmdd.slice(0, 2), now = new Date().getUTCFullYear() % 100;
  const century = future ? 2000 : yy > now ? 1900 : 2000;
  return `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}
function names(field) {
  const [sur, ...rest] = field.split('<<');
  return { surname: clean(sur), given: clean(rest.join('<<')) };
}

export function parseMrz(text) {
  const lines = String(text).toUpperCase().split(/[\n|]+/).map((l) => l.replace(/[\s\r]/g, '')).filter(Boolean);
  const issues = [];
  const chk = (what, data, digit) => { if (String(checkDigit(data)) !== digit) issues.push(`${what} check digit`); };
  let r;
  if (lines.length === 2 && lines[0].length === 44 && lines[1].length === 44) {
    const [a, b] = lines;
    r = { format: 'TD3', type: a.slice(0, 2).replace(/<+$/, ''), state: a.slice(2, 5).replace(/</g, ''), ...names(a.slice(5)),
      number: b.slice(0, 9).replace(/</g, ''), nationality: b.slice(10, 13).replace(/</g, ''), dob: date(b.slice(13, 19)), sex: b[20], expiry: date(b.slice(21, 27), true) };
    chk('document number', b.slice(0, 9), b[9]); chk('birth date', b.slice(13, 19), b[19]); chk('expiry date', b.slice(21, 27), b[27]);
  } else if (lines.length === 3 && lines.every((l) => l.length === 30)) {
    const [a, b, c] = lines;
    r = { format: 'TD1', type: a.slice(0, 2).replace(/<+$/, ''), state: a.slice(2, 5).replace(/</g, ''), number: a.slice(5, 14).replace(/</g, ''),
      dob: date(b.slice(0, 6)), sex: b[7], expiry: date(b.slice(8, 14), true), nationality: b.slice(15, 18).replace(/</g, ''), ...names(c) };
    chk('document number', a.slice(5, 14), a[14]); chk('birth date', b.slice(0, 6), b[6]); chk('expiry date', b.slice(8, 14), b[14]);
  } else if (lines.length === 2 && lines[0].length === 36 && lines[1].length === 36) {
    const [a, b] = lines;
    r = { format: 'TD2', type: a.slice(0, 2).replace(/<+$/, ''), state: a.slice(2, 5).replace(/</g, ''), ...names(a.slice(5)),
      number: b.slice(0, 9).replace(/</g, ''), nationality: b.slice(10, 13).replace(/</g, ''), dob: date(b.slice(13, 19)), sex: b[20], expiry: date(b.slice(21, 27), true) };
    chk('document number', b.slice(0, 9), b[9]); chk('birth date', b.slice(13, 19), b[19]); chk('expiry date', b.slice(21, 27), b[27]);
  } else {
    return { error: `Not a machine readable zone: expected 2 lines of 44 (passport), 3 of 30 or 2 of 36 characters; got ${lines.map((l) => l.length).join(' + ') || 'nothing'}.` };
  }
  r.issues = issues;
  r.valid = issues.length === 0;
  return r;
}
