import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heraldError } from '../../test/support/herald-error.ts';
import { receiverFromArgument, rowsFromCsv } from './send-rows.ts';

test('CSV rows: the first receiver column names the receiver, the others are variables; quoting, BOM and blank lines as CSV has them', () => {
  const csv = Buffer.from('\ufeffname,email,note\n"Lee, Ada",ada@example.com,"said ""hi"""\n\nBob,,x\nCy,cy@example.com,\n');
  const { rows, refused, variableColumns } = rowsFromCsv(csv);
  assert.deepEqual(variableColumns, ['name', 'note']);
  assert.deepEqual(rows, [
    { row: 2, receiver: { email: 'ada@example.com' }, data: { name: 'Lee, Ada', note: 'said "hi"' } },
    { row: 5, receiver: { email: 'cy@example.com' }, data: { name: 'Cy', note: '' } },
  ]);
  assert.deepEqual(refused, [{ row: 4, code: 'RECEIVER_MISSING', reason: 'The email column is empty' }], 'rows are numbered by their line in the file');
});

test('CSV rows: `to` and `subscriber` are subscriber ids; --to-column picks another column', () => {
  assert.deepEqual(rowsFromCsv(Buffer.from('to,phone\nu1,+8613800138000\n')).rows[0]!.receiver, 'u1');
  assert.deepEqual(rowsFromCsv(Buffer.from('to,phone\nu1,+8613800138000\n'), 'phone').rows[0], { row: 2, receiver: { phone: '+8613800138000' }, data: { to: 'u1' } });
  assert.deepEqual(rowsFromCsv(Buffer.from('user,name\nu9,Ada\n'), 'user').rows[0], { row: 2, receiver: 'u9', data: { name: 'Ada' } });
});

test('CSV files that cannot be sent are refused with a code and what to do', () => {
  assert.equal(heraldError(() => rowsFromCsv(Buffer.from('name,city\nAda,Paris\n'))).code, 'CSV_RECEIVER_COLUMN_MISSING');
  assert.equal(heraldError(() => rowsFromCsv(Buffer.from('email\n'))).code, 'CSV_EMPTY');
  const uneven = heraldError(() => rowsFromCsv(Buffer.from('email,name\na@example.com,Ada\nb@example.com\n')));
  assert.equal(uneven.code, 'CSV_INVALID');
  assert.match(uneven.message, /line 3/);
});

test('--to arguments: a subscriber id, or kind:value for an address kind', () => {
  assert.equal(receiverFromArgument('u1'), 'u1');
  assert.deepEqual(receiverFromArgument('email:a@example.com'), { email: 'a@example.com' });
  assert.deepEqual(receiverFromArgument('subscriberId:u:2'), { subscriberId: 'u:2' });
  assert.equal(receiverFromArgument('tenant:42'), 'tenant:42', 'an unknown kind is part of a subscriber id');
});
