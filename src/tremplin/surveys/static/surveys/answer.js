// Answer pages: show a question only when its condition holds (progressive enhancement).
// Without JavaScript every question is shown with its « Répondez seulement si… » note, and the
// server ignores answers to questions whose condition does not hold (answering.py): this file
// mirrors conditions.evaluate() so that what people see matches what is kept.
(function () {
  "use strict";

  var COMPARISONS = { ">": 1, ">=": 1, "<": 1, "<=": 1 };

  function asNumber(value) {
    var text = String(value).trim().replace(",", ".");
    if (!/^[-+]?\d+(\.\d+)?$/.test(text)) { return null; }
    return parseFloat(text);
  }

  function answerOf(form, name) {
    var box = form.querySelector('[data-question="' + CSS.escape(name) + '"]');
    if (!box || box.hidden) { return null; }
    var kind = box.getAttribute("data-kind");
    var inputs = box.querySelectorAll("input, textarea");
    if (kind === "multiple") {
      var chosen = [];
      inputs.forEach(function (input) { if (input.checked) { chosen.push(input.value); } });
      return chosen.length ? chosen : null;
    }
    if (kind === "single" || kind === "rating") {
      var value = null;
      inputs.forEach(function (input) { if (input.checked) { value = input.value; } });
      return value;
    }
    var text = inputs.length ? inputs[0].value.trim() : "";
    return text === "" ? null : text;
  }

  function test(leaf, answer) {
    var op = leaf.op;
    var value = String(leaf.value);
    var empty = answer === null || answer === "" || (Array.isArray(answer) && !answer.length);
    if (value === "" && (op === "=" || op === "!=")) { return op === "=" ? empty : !empty; }
    if (empty) { return op === "!=" || op === "not_selected"; }
    if (Array.isArray(answer)) {
      var has = answer.indexOf(value) !== -1;
      if (op === "selected") { return has; }
      if (op === "not_selected") { return !has; }
      if (op === "=") { return answer.length === 1 && has; }
      if (op === "!=") { return !(answer.length === 1 && has); }
      return false;
    }
    if (COMPARISONS[op]) {
      var left = asNumber(answer);
      var right = asNumber(value);
      if (left === null || right === null) { return false; }
      if (op === ">") { return left > right; }
      if (op === ">=") { return left >= right; }
      if (op === "<") { return left < right; }
      return left <= right;
    }
    var a = asNumber(answer);
    var b = asNumber(value);
    var same = a !== null && b !== null ? a === b : String(answer) === value;
    return op === "=" || op === "selected" ? same : !same;
  }

  function evaluate(node, form) {
    if (!node || (!node.all && !node.any && !node.q)) { return true; }
    if (node.all) { return node.all.every(function (n) { return evaluate(n, form); }); }
    if (node.any) { return node.any.some(function (n) { return evaluate(n, form); }); }
    return test(node, answerOf(form, node.q));
  }

  function refresh(form) {
    // In document order: a hidden question counts as unanswered for the questions after it.
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var raw = box.getAttribute("data-condition");
      if (!raw) { return; }
      var condition;
      try { condition = JSON.parse(raw); } catch (e) { return; }
      var shown = evaluate(condition, form);
      box.hidden = !shown;
      box.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  function setUp(form) {
    form.querySelectorAll(".q-condition").forEach(function (note) { note.hidden = true; });
    refresh(form);
    form.addEventListener("change", function () { refresh(form); });
    form.addEventListener("input", function () { refresh(form); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-survey]").forEach(setUp);
  });
})();
