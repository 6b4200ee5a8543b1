import fc from 'fast-check';
const re = new RegExp(`^(?:\\s['"]?C:\\\\Windows\\\\(?:System32|SysWOW64|WinSxS))$`, 'i');
console.log(re, re.test(' C:\\Windows\\System32'));
try { console.log(fc.sample(fc.stringMatching(re, { size: 'xsmall' }), { seed: 7, numRuns: 6 })); } catch (e) { console.log('ERR', (e as Error).message); }
