/*
 * The loss a batch was trained with (its `lossSpec`, docs/protocol.md) in words: its name, formula and
 * parameters, and how its class terms are formed. Cross-entropy and focal loss are sums over elements
 * (the reduction chain of chain.js); Dice is not, and its terms are read the way the decomposition
 * defines them: micro (U_c − 2 I_c) / (U + s), macro (1 − D_c) / C. Pure text, no DOM.
 */

import { isNum } from './util.js';

const FUNCTIONS = ['bce', 'focal', 'dice', 'bce_dice'];

function numbers(v) {
  return Array.isArray(v) ? v.map((x) => (isNum(x) ? x : null)) : null;
}

/**
 * The batch's loss specification with the fields the page uses; a report without one (stored by an
 * older LossPrism) was plain BCE.
 */
export function lossSpecOf(msg) {
  const s = msg && msg.lossSpec && typeof msg.lossSpec === 'object' ? msg.lossSpec : {};
  const fn = typeof s.function === 'string' && FUNCTIONS.includes(s.function.toLowerCase()) ? s.function.toLowerCase() : 'bce';
  const w = s.weights && typeof s.weights === 'object' ? s.weights : {};
  return {
    function: fn,
    fromLogits: s.fromLogits === true,
    formula: typeof s.formula === 'string' ? s.formula : null,
    classWeights: numbers(s.classWeights),
    posWeight: numbers(s.posWeight),
    gamma: isNum(s.gamma) ? s.gamma : null,
    alpha: isNum(s.alpha) ? s.alpha : null,
    dice: s.dice === 'macro' ? 'macro' : 'micro',
    smooth: isNum(s.smooth) ? s.smooth : 0,
    crossEntropyWeight: isNum(w.crossEntropy) ? w.crossEntropy : 1,
    diceWeight: isNum(w.dice) ? w.dice : 1,
  };
}

/** Whether a class term is a sum over pixels (the reduction chain applies). */
export function sumsOverElements(spec) {
  return spec.function === 'bce' || spec.function === 'focal';
}

/** "binary cross-entropy", "focal loss", "soft Dice (micro)", "BCE + Dice (macro)". */
export function lossName(spec) {
  switch (spec.function) {
    case 'focal': return 'focal loss';
    case 'dice': return 'soft Dice (' + spec.dice + ')';
    case 'bce_dice': return 'BCE + Dice (' + spec.dice + ')';
    default: return 'binary cross-entropy';
  }
}

function short(v) {
  return String(Number(v.toPrecision(4)));
}

/** "a 1, b 2, c 1", or '' when every value is 1 (no weighting) or unknown. */
function perClass(values, names) {
  if (!values || values.every((v) => v === 1 || v === null)) return '';
  return values.map((v, i) => (names && names[i] !== undefined ? names[i] : String(i)) + ' ' + (v === null ? '?' : short(v)))
    .join(', ');
}

/** The parameters the trained loss uses, one phrase each; names label per-class values. */
export function parameterTexts(spec, names) {
  const out = [];
  const crossEntropy = spec.function !== 'dice';
  const dice = spec.function === 'dice' || spec.function === 'bce_dice';
  if (crossEntropy) {
    const w = perClass(spec.classWeights, names);
    out.push(w ? 'class weights w_c: ' + w : 'no class weights (w_c = 1)');
    const q = perClass(spec.posWeight, names);
    out.push(q ? 'pos_weight q_c: ' + q : 'no pos_weight');
  }
  if (spec.function === 'focal') {
    out.push('γ (gamma) ' + (spec.gamma === null ? '?' : short(spec.gamma)));
    out.push(spec.alpha === null ? 'no α (alpha)' : 'α (alpha) ' + short(spec.alpha));
  }
  if (dice) {
    out.push((spec.dice === 'macro' ? 'macro Dice (per class, then the mean)' : 'micro Dice (all classes pooled)')
      + ', smoothing s = ' + short(spec.smooth));
  }
  if (spec.function === 'bce_dice') {
    out.push('weights: ' + short(spec.crossEntropyWeight) + ' × BCE + ' + short(spec.diceWeight) + ' × Dice');
  }
  out.push(spec.fromLogits ? 'computed from the logits z, p = sigmoid(z)' : 'computed from the probabilities p');
  return out;
}

/** The steps explaining a Dice (or BCE + Dice) batch's class terms; c: the number of classes. */
export function diceStepTexts(spec, c) {
  const classes = isNum(c) && c > 0 ? String(c) : 'C';
  const s = short(spec.smooth);
  const steps = [
    ['Per class', 'The soft intersection I_c = Σ y·p and the soft sum U_c = Σ y + Σ p over all pixels of all images, '
      + 'with p the predicted probability. Dice is a ratio of these sums, not a sum of per-pixel losses.'],
  ];
  if (spec.dice === 'macro') {
    steps.push(['Dice per class', '1 − D_c = (U_c − 2 I_c) / (U_c + s), s = ' + s + '.']);
    steps.push(['Over classes', 'The loss is the mean over the ' + classes + ' classes: term_c = (1 − D_c) / '
      + classes + ', and 1 − mean_c D_c = Σ_c term_c exactly.']);
  } else {
    steps.push(['Pooled over classes', '1 − (2 Σ_c I_c + s) / (U + s) with U = Σ_c U_c, s = ' + s
      + ', is exactly Σ_c (U_c − 2 I_c) / (U + s): term_c = (U_c − 2 I_c) / (U + s).']);
  }
  steps.push(['Positive and negative parts', 'U_c − 2 I_c = Σ (y + p − 2 y p) over the class\'s pixels: its positive '
    + 'pixels give the missed mass (1 − p each), its negative pixels the false mass (p each).']);
  if (spec.function === 'bce_dice') {
    steps.push(['Both parts', 'Each class term is ' + short(spec.crossEntropyWeight) + ' × its BCE term (the sum over its '
      + 'elements ÷ the convention\'s divisor) + ' + short(spec.diceWeight) + ' × its Dice term.']);
  }
  steps.push(['The reported number', 'The class terms add up to the loss you see printed.']);
  return steps;
}

/** The header of the table of Dice class terms. */
export function diceTermLabel(spec) {
  if (spec.function === 'bce_dice') {
    return 'term = ' + short(spec.crossEntropyWeight) + ' × BCE_c + ' + short(spec.diceWeight) + ' × Dice_c';
  }
  return spec.dice === 'macro' ? 'term = (1 − D_c) / C' : 'term = (U_c − 2 I_c) / (U + s)';
}
