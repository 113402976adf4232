/**
 * bpmn-engine: the same shapes as BPMN 2.0 XML. Each task writes the process as XML text (not
 * measured); each measured run gives the text to a new Engine, which parses it (bpmn-moddle)
 * and runs the process to its end. Steps are plain `task` elements, which complete at once;
 * fan-out and DAG joins are parallel gateways. Steps finished are counted from the engine's
 * `activity.end` events.
 */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { dagNeeds } from '../lib/shapes.mjs';

class Process {
  elements = [];
  flows = [];

  add(element) {
    this.elements.push(element);
    return this;
  }

  flow(from, to) {
    this.flows.push(`<sequenceFlow id="f${this.flows.length}" sourceRef="${from}" targetRef="${to}" />`);
    return this;
  }

  xml() {
    return '<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="definitions" targetNamespace="http://arq.bench">\n' +
      `<process id="bench" isExecutable="true">\n${this.elements.join('\n')}\n${this.flows.join('\n')}\n</process>\n</definitions>\n`;
  }
}

const task = (id) => `<task id="${id}" />`;
const gateway = (id) => `<parallelGateway id="${id}" />`;

/** start -> n tasks in order -> end. */
export function bpmnChain(n) {
  const p = new Process().add('<startEvent id="start" />').add('<endEvent id="end" />');
  let previous = 'start';
  for (let i = 0; i < n; i++) {
    p.add(task(`s${i}`)).flow(previous, `s${i}`);
    previous = `s${i}`;
  }
  return p.flow(previous, 'end').xml();
}

/** start -> a forking parallel gateway -> n tasks -> a joining parallel gateway -> end. */
export function bpmnFanout(n) {
  const p = new Process().add('<startEvent id="start" />').add(gateway('fork')).add(gateway('join')).add('<endEvent id="end" />');
  p.flow('start', 'fork').flow('join', 'end');
  for (let i = 0; i < n; i++) p.add(task(`b${i}`)).flow('fork', `b${i}`).flow(`b${i}`, 'join');
  return p.xml();
}

/**
 * The DAG of bench/lib/shapes.mjs: a task with several outgoing flows starts all of them (a
 * parallel split); a task that needs two is preceded by a joining parallel gateway; tasks that
 * nothing needs flow into the end event's joining gateway.
 */
export function bpmnDag(n) {
  const needs = dagNeeds(n);
  const needed = new Set(needs.flat());
  const p = new Process().add('<startEvent id="start" />').add(gateway('sinks')).add('<endEvent id="end" />').flow('sinks', 'end');
  needs.forEach((need, i) => {
    p.add(task(`n${i}`));
    if (need.length === 0) p.flow('start', `n${i}`);
    if (need.length === 1) p.flow(`n${need[0]}`, `n${i}`);
    if (need.length > 1) {
      p.add(gateway(`j${i}`)).flow(`j${i}`, `n${i}`);
      for (const j of need) p.flow(`n${j}`, `j${i}`);
    }
    if (!needed.has(i)) p.flow(`n${i}`, 'sinks');
  });
  return p.xml();
}

/** A measured run of one BPMN text; count = tasks whose id starts with `prefix` that ended. */
function measured(source, prefix) {
  return async () => {
    let count = 0;
    const listener = new EventEmitter();
    listener.on('activity.end', (api) => {
      if (api.type === 'bpmn:Task' && api.id.startsWith(prefix)) count++;
    });
    const engine = new Engine({ name: 'bench', source });
    const ended = engine.waitFor('end');
    await engine.execute({ listener });
    await ended;
    return { count };
  };
}

export const chain = ({ n }) => measured(bpmnChain(n), 's');
export const fanout = ({ n }) => measured(bpmnFanout(n), 'b');
export const dag = ({ n }) => measured(bpmnDag(n), 'n');
