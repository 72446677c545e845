import { parseRoomLink, parseRoomLinkKey } from './room-link';

const ID = 'AbCdEfGhIjKlMnOpQrSt_-';

describe('parseRoomLink', () => {
  it.each([
    [ID],
    [`  ${ID}  `],
    [`https://chat.example/r/${ID}`],
    [`http://192.168.1.5:3000/r/${ID}/`],
    [`https://chat.example/r/${ID}?utm=x#y`],
    [`/r/${ID}`],
    [`r/${ID}`],
  ])('reads the room id from %j', (input) => {
    expect(parseRoomLink(input)).toBe(ID);
  });

  it.each([[''], ['   '], ['hello world'], ['https://chat.example/'], ['https://chat.example/r/'], ['<script>']])(
    'rejects %j',
    (input) => {
      expect(parseRoomLink(input)).toBeNull();
    },
  );
});

describe('parseRoomLinkKey', () => {
  it("takes an encrypted room's key from a pasted link's fragment", () => {
    expect(parseRoomLinkKey('https://chat.example/r/abcdefgh#k=KEY_1-x')).toBe('KEY_1-x');
    expect(parseRoomLinkKey('  /r/abcdefgh#k=abc  ')).toBe('abc');
    expect(parseRoomLinkKey('https://chat.example/r/abcdefgh')).toBeNull();
    expect(parseRoomLinkKey('abcdefgh')).toBeNull();
  });
});
