import { Faker, base as baseLocale, en } from '@faker-js/faker';
import type { Event } from '../../core/event.ts';

/**
 * Realistic Windows / Sysmon noise events (process creation, network, file,
 * registry, image load, PowerShell script block, security logons), made with
 * faker from a fixed seed so every run produces the same stream. Used as
 * background traffic: for cross-fire benchmarks and as irrelevant fields in
 * generated variants.
 */
const BINARIES = [
  'C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Windows\\explorer.exe', 'C:\\Windows\\System32\\conhost.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\System32\\taskhostw.exe',
  'C:\\Windows\\System32\\reg.exe', 'C:\\Windows\\System32\\schtasks.exe', 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\System32\\msiexec.exe',
  'C:\\Program Files\\Microsoft VS Code\\Code.exe', 'C:\\Windows\\System32\\net.exe', 'C:\\Windows\\System32\\whoami.exe', 'C:\\Windows\\System32\\certutil.exe',
];
const ARGS = ['/c echo hello', '-NoProfile -Command Get-Process', '/s /q', '--type=renderer', '-k netsvcs -p', 'user', '/query /fo LIST', '/i package.msi /quiet', 'shell32.dll,Control_RunDLL', ''];
const REG_KEYS = ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\', 'HKCU\\Software\\Classes\\', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\', 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\'];

export interface NoiseOptions {
  readonly seed: number;
  /** First event time; events are spaced 0–2 s apart, in time order. */
  readonly start?: Date;
}

/** An endless, deterministic stream of Windows / Sysmon events. */
export function* windowsNoise(opts: NoiseOptions): Generator<Event> {
  const f = new Faker({ locale: [en, baseLocale] });
  f.seed(opts.seed);
  let t = (opts.start ?? new Date('2024-05-01T00:00:00Z')).getTime();
  const host = () => `${f.helpers.arrayElement(['WS', 'SRV', 'LAPTOP', 'DC'])}-${f.string.alphanumeric({ length: 5, casing: 'upper' })}`;
  const user = () => `${f.helpers.arrayElement(['CONTOSO', 'NT AUTHORITY'])}\\${f.internet.username()}`;
  const image = () => f.helpers.arrayElement(BINARIES);
  const base = (eventId: number) => {
    t += f.number.int({ min: 0, max: 2000 });
    return { EventID: eventId, Computer: host(), UtcTime: new Date(t).toISOString().replace('T', ' ').replace('Z', ''), '@timestamp': new Date(t).toISOString() };
  };
  for (;;) {
    const kind = f.number.int({ min: 0, max: 9 });
    if (kind <= 3) {
      const img = image();
      yield { ...base(1), Image: img, OriginalFileName: img.split('\\').pop()!.toUpperCase(), CommandLine: `"${img}" ${f.helpers.arrayElement(ARGS)}`, ParentImage: image(), ParentCommandLine: `"${image()}"`, User: user(), IntegrityLevel: f.helpers.arrayElement(['Medium', 'High', 'System']), Hashes: `SHA256=${f.string.hexadecimal({ length: 64, casing: 'upper', prefix: '' })}`, CurrentDirectory: 'C:\\Windows\\system32\\', ProcessId: f.number.int({ min: 100, max: 20000 }) };
    } else if (kind === 4) {
      yield { ...base(3), Image: image(), User: user(), Protocol: 'tcp', Initiated: f.datatype.boolean() ? 'true' : 'false', SourceIp: f.internet.ipv4(), SourcePort: f.internet.port(), DestinationIp: f.internet.ipv4(), DestinationPort: f.helpers.arrayElement([443, 80, 53, 445, 3389, f.internet.port()]), DestinationHostname: f.internet.domainName() };
    } else if (kind === 5) {
      yield { ...base(11), Image: image(), TargetFilename: `C:\\Users\\${f.internet.username()}\\${f.helpers.arrayElement(['Downloads', 'AppData\\Local\\Temp', 'Documents'])}\\${f.system.fileName()}`, User: user() };
    } else if (kind === 6) {
      yield { ...base(13), EventType: 'SetValue', Image: image(), TargetObject: `${f.helpers.arrayElement(REG_KEYS)}${f.word.noun()}`, Details: f.helpers.arrayElement(['DWORD (0x00000001)', `C:\\Program Files\\${f.word.noun()}\\app.exe`, '(Empty)']) };
    } else if (kind === 7) {
      yield { ...base(7), Image: image(), ImageLoaded: `C:\\Windows\\System32\\${f.helpers.arrayElement(['kernel32.dll', 'ntdll.dll', 'advapi32.dll', 'amsi.dll', 'wininet.dll'])}`, Signed: 'true', Signature: 'Microsoft Windows' };
    } else if (kind === 8) {
      yield { ...base(4104), Channel: 'Microsoft-Windows-PowerShell/Operational', ScriptBlockText: f.helpers.arrayElement(['Get-ChildItem C:\\Users', 'Get-Service | Where-Object Status -eq Running', 'Import-Module ActiveDirectory', `Write-Output "${f.lorem.sentence()}"`]), Path: '' };
    } else {
      yield { ...base(4624), Channel: 'Security', Provider_Name: 'Microsoft-Windows-Security-Auditing', LogonType: f.helpers.arrayElement([2, 3, 5, 10]), TargetUserName: f.internet.username(), TargetDomainName: 'CONTOSO', IpAddress: f.internet.ipv4(), WorkstationName: host(), AuthenticationPackageName: f.helpers.arrayElement(['Kerberos', 'NTLM', 'Negotiate']) };
    }
  }
}

/** The first `n` events of the stream for a seed. */
export function windowsNoiseEvents(n: number, seed: number): Event[] {
  const out: Event[] = [];
  for (const e of windowsNoise({ seed })) {
    if (out.length >= n) break;
    out.push(e);
  }
  return out;
}
