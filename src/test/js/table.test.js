// Sorting of the class table (web/js/table.js): undefined values last in either direction, ties by class order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMNS, compareRows } from '../../../web/js/table.js';

const rows = [
  { index: 0, name: 'disc', iou: 0.9, loss: 0.2, state: 'present' },
  { index: 1, name: 'Bar', iou: null, loss: 0.5, state: 'absentCorrect' },
  { index: 2, name: 'box', iou: 0.1, loss: 0.5, state: 'absentPredicted' },
  { index: 3, name: 'ring', iou: 0.4, loss: null, state: 'present' },
];

const order = (key, direction) => rows.slice().sort((a, b) => compareRows(a, b, key, direction)).map((r) => r.index);

test('ascending and descending by a number, undefined last both ways', () => {
  assert.deepEqual(order('iou', 'ascending'), [2, 3, 0, 1]);
  assert.deepEqual(order('iou', 'descending'), [0, 3, 2, 1]);
});

test('equal values keep the class order', () => {
  assert.deepEqual(order('loss', 'descending'), [1, 2, 0, 3]);
  assert.deepEqual(order('loss', 'ascending'), [0, 1, 2, 3]);
});

test('names sort without regard to case; index restores the class order', () => {
  assert.deepEqual(order('name', 'ascending'), [1, 2, 0, 3]);
  assert.deepEqual(order('index', 'descending'), [3, 2, 1, 0]);
});

test('states sort by how much they need a look: absent but predicted, present, absent', () => {
  assert.deepEqual(order('state', 'ascending'), [2, 0, 3, 1]);
});

test('a first click sorts worst first: losses and shares descending, IoU and Dice ascending', () => {
  const first = Object.fromEntries(COLUMNS.map((c) => [c.key, c.first]));
  assert.equal(first.loss, 'descending');
  assert.equal(first.errorShare, 'descending');
  assert.equal(first.iou, 'ascending');
  assert.equal(first.dice, 'ascending');
});

test('columns show undefined values as a dash', () => {
  const iou = COLUMNS.find((c) => c.key === 'iou');
  assert.equal(iou.show({ iou: null }), '—');
  assert.equal(iou.show({ iou: 0.25 }), '0.250');
});
