import { parseRoomLink } from './room-link';

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
