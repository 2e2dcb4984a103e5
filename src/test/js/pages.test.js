// Which page an address asks for, and the links between pages (web/js/pages.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds, compareUrl, pageOf, runUrl } from '../../../web/js/pages.js';

test('the live page unless the query names another', () => {
  assert.deepEqual(pageOf(''), { page: 'live', ids: [] });
  assert.deepEqual(pageOf('?feed=off'), { page: 'live', ids: [] });
  assert.deepEqual(pageOf('?view=runs'), { page: 'runs', ids: [] });
  assert.deepEqual(pageOf('?replay=run-1'), { page: 'replay', ids: ['run-1'] });
});

test('compare ids: trimmed, no empties or repeats, order kept; the split rides along', () => {
  assert.deepEqual(compareIds(' b, a,,b ,c'), ['b', 'a', 'c']);
  assert.deepEqual(pageOf('?compare=x,y&split=validation'), { page: 'compare', ids: ['x', 'y'], split: 'validation' });
  assert.equal(pageOf('?compare=x,y&split=nonsense').split, 'train');
});

test('a compare link survives the trip through the address', () => {
  const url = compareUrl(['run-1', 'run 2'], 'validation');
  assert.equal(url, '/?compare=run-1,run%202&split=validation');
  assert.deepEqual(pageOf(url.slice(1)).ids, ['run-1', 'run 2']);
  assert.equal(compareUrl(['a', 'b'], 'train'), '/?compare=a,b');
});

test('the run being trained opens live; any other is replayed', () => {
  assert.equal(runUrl({ id: 'a', state: 'training' }, 'a'), '/');
  assert.equal(runUrl({ id: 'a', state: 'finished' }, 'a'), '/?replay=a');
  assert.equal(runUrl({ id: 'b', state: 'training' }, 'a'), '/?replay=b');
});
