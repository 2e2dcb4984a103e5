// The trained loss in words (lossspec.js) and the model line (model.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diceStepTexts, diceTermLabel, lossName, lossSpecOf, parameterTexts, sumsOverElements } from '../../../web/js/lossspec.js';
import { modelText } from '../../../web/js/model.js';
import { batch } from './reports.js';

const NAMES = ['a', 'b', 'c'];

test('a report without lossSpec (an older LossPrism) was plain BCE, summed over elements', () => {
  const spec = lossSpecOf(batch(1));
  assert.equal(spec.function, 'bce');
  assert.equal(lossName(spec), 'binary cross-entropy');
  assert.equal(sumsOverElements(spec), true);
  assert.deepEqual(parameterTexts(spec, NAMES),
    ['no class weights (w_c = 1)', 'no pos_weight', 'computed from the probabilities p']);
});

test('weighted BCE names its class weights and pos_weight per class', () => {
  const spec = lossSpecOf(batch(1, 'train', { lossSpec: {
    function: 'bce', convention: 'dl4j', fromLogits: true, formula: 'sum w_c [q_c y (-ln p) + (1-y) (-ln(1-p))] / N',
    classWeights: [1, 2, 1], posWeight: [1, 1, 40.5], clipEpsilon: 1e-5 } }));
  assert.equal(spec.formula, 'sum w_c [q_c y (-ln p) + (1-y) (-ln(1-p))] / N');
  assert.deepEqual(parameterTexts(spec, NAMES), ['class weights w_c: a 1, b 2, c 1', 'pos_weight q_c: a 1, b 1, c 40.5',
    'computed from the logits z, p = sigmoid(z)']);
});

test('focal loss shows gamma and alpha, or that there is no alpha', () => {
  const spec = lossSpecOf({ lossSpec: { function: 'focal', gamma: 2, alpha: 0.25, classWeights: [1, 1, 1], posWeight: [1, 1, 1] } });
  assert.equal(lossName(spec), 'focal loss');
  assert.equal(sumsOverElements(spec), true);
  assert.deepEqual(parameterTexts(spec, NAMES).slice(2, 4), ['γ (gamma) 2', 'α (alpha) 0.25']);
  assert.equal(parameterTexts(lossSpecOf({ lossSpec: { function: 'focal', gamma: 1.5, alpha: null } }))[3], 'no α (alpha)');
});

test('micro Dice is not a sum over elements: its terms are (U_c − 2 I_c) / (U + s)', () => {
  const spec = lossSpecOf({ lossSpec: { function: 'dice', dice: 'micro', smooth: 1, fromLogits: true } });
  assert.equal(sumsOverElements(spec), false);
  assert.equal(lossName(spec), 'soft Dice (micro)');
  assert.deepEqual(parameterTexts(spec, NAMES), ['micro Dice (all classes pooled), smoothing s = 1',
    'computed from the logits z, p = sigmoid(z)']);
  const steps = diceStepTexts(spec, 3);
  assert.deepEqual(steps.map(([title]) => title), ['Per class', 'Pooled over classes', 'Positive and negative parts',
    'The reported number']);
  assert.match(steps[1][1], /term_c = \(U_c − 2 I_c\) \/ \(U \+ s\)/);
  assert.match(steps[1][1], /s = 1,/);
  assert.equal(diceTermLabel(spec), 'term = (U_c − 2 I_c) / (U + s)');
});

test('macro Dice: 1 − D_c per class, then the mean over the classes', () => {
  const spec = lossSpecOf({ lossSpec: { function: 'dice', dice: 'macro', smooth: 0 } });
  const steps = diceStepTexts(spec, 5);
  assert.deepEqual(steps.map(([title]) => title), ['Per class', 'Dice per class', 'Over classes',
    'Positive and negative parts', 'The reported number']);
  assert.match(steps[1][1], /1 − D_c = \(U_c − 2 I_c\) \/ \(U_c \+ s\), s = 0\./);
  assert.match(steps[2][1], /term_c = \(1 − D_c\) \/ 5/);
  assert.equal(diceTermLabel(spec), 'term = (1 − D_c) / C');
});

test('BCE + Dice: the weighted sum of both parts, with both parts\' parameters', () => {
  const spec = lossSpecOf({ lossSpec: { function: 'bce_dice', dice: 'micro', smooth: 1, classWeights: [1, 1, 1],
    posWeight: [1, 1, 1], weights: { crossEntropy: 0.5, dice: 2 } } });
  assert.equal(lossName(spec), 'BCE + Dice (micro)');
  assert.equal(sumsOverElements(spec), false);
  assert.deepEqual(parameterTexts(spec, NAMES), ['no class weights (w_c = 1)', 'no pos_weight',
    'micro Dice (all classes pooled), smoothing s = 1', 'weights: 0.5 × BCE + 2 × Dice', 'computed from the probabilities p']);
  const steps = diceStepTexts(spec, 3);
  assert.equal(steps[steps.length - 2][0], 'Both parts');
  assert.match(steps[steps.length - 2][1], /0\.5 × its BCE term .* \+ 2 × its Dice term/);
  assert.equal(diceTermLabel(spec), 'term = 0.5 × BCE_c + 2 × Dice_c');
});

test('an unknown loss function falls back to BCE rather than inventing one', () => {
  assert.equal(lossSpecOf({ lossSpec: { function: 'tversky' } }).function, 'bce');
  assert.equal(lossSpecOf({ lossSpec: { function: 'DICE', dice: 'weird' } }).dice, 'micro');
});

test('the model line: source, layers, parameters with thousands separators, shapes with N for the batch', () => {
  assert.equal(modelText({ source: 'built-in U-Net', layers: 23, parameters: 485853, inputShape: [-1, 3, 64, 64],
    outputShape: [-1, 5, 64, 64] }),
  'built-in U-Net · 23 layers · 485,853 parameters · input [N, 3, 64, 64] → output [N, 5, 64, 64]');
  assert.equal(modelText({ source: 'x.zip', layers: 1, parameters: 10, inputShape: null, outputShape: [-1, 2] }),
    'x.zip · 1 layer · 10 parameters · input ? → output [N, 2]');
  assert.equal(modelText(null), '');
});
