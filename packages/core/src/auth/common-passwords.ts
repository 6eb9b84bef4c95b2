/**
 * Passwords that guessing attacks try first. Whole entries are 10+ characters (shorter ones
 * already fail the length rule); base words are the short favourites people stretch to 10 by
 * bolting on digits or symbols ("iloveyou12", "dragon2024!"), so those are matched with any
 * short suffix or prefix and with common letter-for-symbol swaps ("p@ssw0rd").
 * All entries are lowercase; matching lowercases the candidate.
 */

/** Whole passwords, mostly keyboard walks, sequences and phrases. */
export const COMMON_PASSWORDS: readonly string[] = [
  '1234567890', '0987654321', '12345678910', '01234567890', '0123456789', '9876543210',
  '1234567891', '1234567899', '123456789a', '123456789q', '123456789z', 'a123456789',
  'q123456789', '1q2w3e4r5t', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', 'q1w2e3r4t5', 'q1w2e3r4t5y6',
  '1a2b3c4d5e', 'a1b2c3d4e5', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', 'zaq12wsxcde3', 'zaq1xsw2cde3',
  '!qaz2wsx3edc', 'qazwsxedcrfv', 'qazwsxedc123', 'qweasdzxc123', '123qweasdzxc', 'qweasdzxcv',
  'qwertyuiop', 'qwertyuiop123', 'qwertyuiop[]', 'poiuytrewq', 'asdfghjkl;', 'asdfghjkl123',
  'asdfghjkl1', 'lkjhgfdsa1', 'zxcvbnm123', 'zxcvbnm,./', 'zxcvbnmasdf', 'mnbvcxz123',
  'qwerty12345', 'qwerty123456', 'qwerty1234', '123456qwerty', '12345qwerty', 'qwertyqwerty',
  'qwertyasdfgh', 'qwertyasdfghjkl', 'qwerasdfzxcv', 'asdfqwerzxcv', 'qwer1234qwer',
  'abcdefghij', 'abcdefghijk', 'abcdefghijkl', 'abcdefghijklmnop', 'abcdefghijklmnopqrstuvwxyz',
  'abc1234567', 'abcd123456', 'abcde12345', 'abcdef123456', '123456abcd', '12345abcde',
  'abc123abc123', 'aa12345678', 'aa123456789', 'qq123456789', 'zz12345678',
  '1111111111', '0000000000', '1234512345', '1122334455', '1020304050', '1357924680',
  '123123123123', '1231231234', '1234554321', '12345654321',
  '9999999999', '5555555555', '7777777777', '1212121212', '6969696969', '1010101010',
  'password12', 'password123', 'password1234', 'password12345', 'password123456', 'password!1',
  'password1!', 'password123!', 'password@123', 'password#1', 'password01', 'password00',
  'passwordpassword', 'mypassword', 'mypassword1', 'mypassword123', 'newpassword', 'newpassword1',
  'thisismypassword', 'yourpassword', 'secretpassword', 'supersecret', 'supersecret1',
  'topsecret123', 'secret1234', 'secret12345', 'passw0rd123', 'p@ssword123', 'p@ssw0rd123',
  'pa55word123', 'passpass123', 'pass123456', 'pass12345678', 'changeme123', 'changeme1234',
  'changemenow', 'letmein123', 'letmein1234', 'letmeinnow', 'letmeinplease', 'openopen123',
  'opensesame', 'opensesame1', 'iloveyou12', 'iloveyou123', 'iloveyou1234',
  'iloveyou!!', 'iloveyousomuch', 'iloveyouforever', 'iloveme123', 'iloveu1234', 'loveyou123',
  'loveyou1234', 'ihateyou123', 'administrator', 'administrator1', 'admin12345', 'admin123456',
  'admin1234567', 'adminadmin', 'adminadmin123', 'administrador', 'rootroot123',
  'root123456', 'toor123456', 'welcome123', 'welcome1234', 'welcome12345',
  'welcome2024', 'welcome2025', 'welcomehome', 'trustno1234', 'trustnoone',
  'trustnobody', 'letitbe123', 'nothing123', 'whatever123', 'whatever12', 'qwerty12345!',
  'helloworld', 'helloworld1', 'helloworld123', 'hellohello', 'hello12345', 'hello123456',
  'hellokitty', 'hellokitty1', 'goodmorning', 'goodnight1', 'goodluck123', 'happydays1',
  'sunshine123', 'sunshine12', 'princess123', 'princess12', 'football123', 'football12',
  'baseball123', 'basketball', 'basketball1', 'basketball123', 'superman123', 'superman12',
  'batman1234', 'batman12345', 'spiderman1', 'spiderman123', 'ironman123',
  'starwars123', 'starwars12', 'darthvader', 'darthvader1', 'skywalker1', 'pokemon123',
  'pokemon1234', 'pikachu123', 'minecraft1', 'minecraft123', 'fortnite123', 'roblox1234',
  'playstation', 'playstation2', 'playstation3', 'playstation4', 'playstation5', 'nintendo64',
  'xboxlive123', 'callofduty', 'counterstrike', 'leagueoflegends', 'worldofwarcraft',
  'computer123', 'computer12', 'internet123', 'internet12', 'samsung123', 'samsung1234',
  'google1234', 'google12345', 'facebook123', 'facebook12', 'instagram1',
  'instagram123', 'microsoft1', 'windows123', 'linux12345', 'ubuntu1234',
  'liverpool1', 'liverpool123', 'chelsea123', 'chelsea1234', 'arsenal123', 'arsenal1234',
  'manchester', 'manchester1', 'manchesterunited', 'manutd1234', 'barcelona1',
  'barcelona10', 'realmadrid', 'realmadrid1', 'juventus123', 'tottenham1', 'everton123',
  'newcastle1', 'cowboys123', 'steelers123', 'yankees123', 'lakers1234', 'michael123',
  'michael1234', 'jennifer123', 'jennifer12', 'jordan2323', 'jordan1234', 'charlie123',
  'charlie1234', 'elizabeth1', 'alexander1', 'christopher', 'christopher1', 'christina1',
  'jessica123', 'ashley1234', 'nicole1234', 'matthew123', 'joshua1234',
  'victoria123', 'samantha12', 'benjamin123', 'jonathan123', 'stephanie1', 'katherine1',
  'chocolate1', 'chocolate123', 'butterfly1', 'butterfly123', 'strawberry', 'strawberry1',
  'watermelon', 'pineapple1', 'blueberry1', 'rainbow123', 'flower1234', 'sweetheart',
  'sweetheart1', 'sweetie123', 'babygirl12', 'babygirl123', 'angel12345', 'lovely1234',
  'beautiful1', 'beautiful123', 'precious12', 'cutie12345', 'honeybee12', 'sunflower1',
  'monkey1234', 'monkey12345', 'dragon1234', 'dragon12345', 'tigger1234', 'doggie1234',
  'puppylove1', 'kitty12345', 'mustang123', 'ferrari123', 'mercedes123', 'porsche911',
  'corvette12', 'harleydavidson', 'chevrolet1', 'freedom123', 'liberty123', 'america123',
  'blessed123', 'jesuschrist', 'jesus12345', 'godisgood1', 'godisgreat',
  'heaven1234', 'trinity123', 'summer2023', 'summer2024', 'summer2025', 'winter2023',
  'winter2024', 'winter2025', 'spring2024', 'spring2025', 'autumn2024', 'autumn2025',
  'january2024', 'february2024', 'september1', 'december12', 'october123', 'qwerty2024',
  'password2023', 'password2024', 'password2025', 'passwort123', 'passwort1234', 'motdepasse',
  'motdepasse1', 'contrasena', 'contrasena1', 'contrasena123', 'parola1234', 'wachtwoord',
  'salasana123', 'senha12345', 'haslo12345', 'zaq12wsx123', 'asdasdasd1', 'asdasd1234',
  'qweqweqwe1', 'qweqwe1234', 'zxczxczxc1', 'azertyuiop', 'azerty1234', 'azerty123456',
  'qwertzuiop', 'qwertz1234', 'test123456', 'test12345678', 'testtest123', 'testing123',
  'testing1234', 'default123', 'guest12345', 'user123456', 'username123', 'login12345',
  'access1234', 'master1234', 'master12345', 'masterkey1', 'shadow1234', 'killer1234',
  'hunter1234', 'matrix1234', 'thunder123', 'lightning1', 'whatsup123', 'fuckyou123',
  'fuckoff123', 'asshole123', 'sexy123456', 'iamthebest', 'iamtheking', 'iamgod1234',
  'youwillneverguess', 'cantguessthis', 'notmypassword', 'donttellanyone', 'forgotpassword',
  'synapse123', 'synapse1234', 'synapseregistry', 'registry123', 'npmpassword', 'github1234',
];

/** Short favourites that people stretch past 10 characters with digits or symbols. */
const BASE_WORDS: readonly string[] = [
  'password', 'passw0rd', 'passwort', 'pass', 'iloveyou', 'loveyou', 'princess', 'sunshine',
  'football', 'baseball', 'soccer', 'hockey', 'superman', 'batman', 'monkey', 'dragon',
  'welcome', 'letmein', 'trustno1', 'master', 'shadow', 'michael', 'jennifer', 'jordan',
  'hunter', 'ranger', 'buster', 'killer', 'george', 'charlie', 'andrew', 'thomas', 'daniel',
  'jessica', 'ashley', 'michelle', 'nicole', 'matthew', 'joshua', 'pepper', 'ginger', 'cookie',
  'summer', 'winter', 'spring', 'autumn', 'freedom', 'whatever', 'qwerty', 'qwertz', 'azerty',
  'asdfgh', 'asdfghjkl', 'zxcvbnm', 'qazwsx', '1qaz2wsx', 'zaq12wsx', 'abc123', 'abcdef',
  'admin', 'root', 'login', 'secret', 'starwars', 'pokemon', 'minecraft', 'computer',
  'internet', 'samsung', 'google', 'facebook', 'apple', 'liverpool', 'chelsea', 'arsenal',
  'lovely', 'loveme', 'flower', 'butterfly', 'chocolate', 'babygirl', 'angel', 'tigger',
  'purple', 'orange', 'banana', 'matrix', 'mustang', 'harley', 'ferrari', 'hello', 'changeme',
  'family', 'friends', 'forever', 'jesus', 'blessed', 'heaven', 'test', 'testing', 'default',
  'guest', 'user', 'synapse', 'registry', 'qwertyuiop', 'zaq1zaq1', 'access', 'thunder', 'spiderman', 'instagram',
  'microsoft', 'barcelona', 'godisgood', 'welcometo',
];

const WHOLE = new Set(COMMON_PASSWORDS);
const BASES = new Set(BASE_WORDS);

// Symbols that people swap in for letters; "1" reads as either "i" or "l".
const LEET_TO_I: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
const LEET_TO_L: Record<string, string> = { ...LEET_TO_I, '1': 'l' };

function unleet(text: string, table: Record<string, string>): string {
  return text.replace(/[013457@$!]/g, (c) => table[c] ?? c);
}

// Up to six trailing digits/symbols ("2024!", "123", "!!") or four leading digits ("123abc").
const PADDING_SUFFIX = /[0-9!@#$%^&*.?_+=~-]{1,6}$/;
const PADDING_PREFIX = /^[0-9]{1,4}/;

/** A short chunk repeated to length: "aaaaaaaaaa", "1212121212", "abcabcabcabc". */
function isRepetition(text: string): boolean {
  return /^(.{1,4})\1{2,}.{0,3}$/su.test(text);
}

/** True for a password an attacker would try early (see the module comment for the matching). */
export function isCommonPassword(password: string): boolean {
  const lowered = password.toLowerCase();
  if (WHOLE.has(lowered) || isRepetition(lowered)) return true;
  const core = lowered.replace(PADDING_SUFFIX, '');
  const cores = [core, core.replace(PADDING_PREFIX, '')];
  const candidates = cores.flatMap((c) => [c, unleet(c, LEET_TO_I), unleet(c, LEET_TO_L)]);
  return candidates.some((c) => c.length > 0 && (BASES.has(c) || WHOLE.has(c)));
}
