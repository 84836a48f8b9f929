// The explorer page's script (viz/explorer_page.hpp): renders the state the
// URL's path leads to from the data embedded in the page. No framework, no
// network: everything it shows is in #bidilab-data.
'use strict';
(function () {
  const D = JSON.parse(document.getElementById('bidilab-data').textContent);
  const T = D.texts;
  // Connections with their parts in place; edges as objects: a (action), l (label), d (direction), x (xml), c (caption),
  // w (what the step wrote, a line per element), r (what the servers did then, a line per step) are texts,
  // t the target state, f the step properties the edge breaks (or undefined).
  for (const c of D.conns) for (const k of ['I', 'R', 'ir', 'ri']) c[k] = D.parts[c[k]];
  for (const st of D.states) {
    st.e = st.e.map(([m, t, f]) => {
      const [a, l, d, x, c, w, r] = D.moves[m];
      return { a: a, l: l, d: d, x: x, c: c, w: w, r: r, t: t, f: f };
    });
  }
  const byId = (id) => document.getElementById(id);

  // An element with attributes (class, text, on* handlers, data-*) and children.
  function h(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  // XML with its tags, attributes and comments coloured; textContent is the XML as is.
  function xml(text, id) {
    const pre = h('pre', { class: 'xml', id: id });
    const re = /(<!-{2}[\s\S]*?-{2}>)|(<[^>]*>)|([^<]+)|(<)/g;  // no literal comment opener in a <script>
    let m;
    while ((m = re.exec(text))) {
      if (m[1]) pre.append(h('span', { class: 'x-comment', text: m[1] }));
      else if (m[2]) tag(pre, m[2]);
      else pre.append(m[3] || m[4]);
    }
    return pre;
  }
  function tag(parent, t) {
    const m = /^(<\/?)([^\s/>]+)([\s\S]*?)(\/?>)$/.exec(t);
    if (!m) return parent.append(t);
    parent.append(h('span', { class: 'x-punct', text: m[1] }), h('span', { class: 'x-tag', text: m[2] }));
    const re = /(\s+)([^\s=]+)=('[^']*'|"[^"]*")/g;
    let a, last = 0;
    while ((a = re.exec(m[3]))) {
      parent.append(m[3].slice(last, a.index) + a[1], h('span', { class: 'x-attr', text: a[2] }), '=',
                    h('span', { class: 'x-value', text: a[3] }));
      last = re.lastIndex;
    }
    parent.append(m[3].slice(last), h('span', { class: 'x-punct', text: m[4] }));
  }

  // --- the URL: #path=INITIAL.A1.A2...&prop=NAME --------------------------------------------
  function parseHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const raw = params.get('path');
    const path = raw ? raw.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : NaN)) : [0];
    return { path: path, prop: params.get('prop') };
  }
  function go(path, prop) {
    const hash = '#path=' + path.join('.') + (prop ? '&prop=' + encodeURIComponent(prop) : '');
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  // The states and steps a path leads through; a path that does not fit is cut where it stops fitting.
  function walk(path) {
    const init = path[0];
    if (!(init >= 0 && init < D.initial.length)) return { states: [D.initial[0]], edges: [], path: [0], badAt: 0 };
    const states = [D.initial[init]], edges = [];
    for (let k = 1; k < path.length; k++) {
      const e = D.states[states[states.length - 1]].e[path[k]];
      if (!e) return { states: states, edges: edges, path: path.slice(0, k), badAt: k };
      edges.push(e);
      states.push(e.t);
    }
    return { states: states, edges: edges, path: path.slice(), badAt: -1 };
  }

  const propIndex = new Map(D.properties.map((p, i) => [p.name, i]));
  const traceWord = (p) => (p.status === 'witnessed' ? 'witness' : 'counterexample');
  const isPrefix = (a, b) => a.length <= b.length && a.every((x, i) => x === b[i]);

  let current = null;  // {walk, prop}

  function render() {
    const { path, prop } = parseHash();
    const w = walk(path);
    const P = prop !== null && propIndex.has(prop) ? D.properties[propIndex.get(prop)] : null;
    current = { walk: w, prop: P };
    const sid = w.states[w.states.length - 1];
    const st = D.states[sid];
    const last = w.edges.length ? w.edges[w.edges.length - 1] : null;
    document.body.dataset.state = sid;
    document.body.dataset.step = w.edges.length;
    renderSummary(w, sid, st);
    renderPath(w, P);
    renderActions(w, st);
    renderProperties(st, last);
    renderStep(w, last);
    renderConnections(st);
    renderStanzas(st);
  }

  function renderSummary(w, sid, st) {
    const n = st.e.length;
    const where = w.edges.length ? 'step ' + w.edges.length : 'the initial state';
    const end = st.end === 'final' ? 'a final state' : st.end === 'deadlock' ? 'a DEADLOCK'
              : n + (n === 1 ? ' action' : ' actions') + ' enabled';
    const last = w.edges.length ? w.edges[w.edges.length - 1] : null;
    const failing = (st.f || []).concat(last && last.f ? last.f : []).map((p) => D.properties[p].name);
    if (st.end === 'deadlock') failing.push('no-deadlock');
    byId('summary').replaceChildren(
      h('span', { class: 'here', text: 'State #' + sid + ' · ' + where + ' · ' + end }),
      h('span', { class: failing.length ? 'props bad' : 'props ok', id: 'summary-properties',
        text: failing.length ? 'fails here: ' + failing.join(', ') : 'every always and step property holds here' }),
      h('span', { class: 'stats', text: D.states.length + ' states, ' + D.transitions + ' transitions on this page · check: ' +
        D.check.verdict + ' (' + D.check.states + ' states up to symmetry)' }));
  }

  function renderPath(w, P) {
    byId('back').disabled = w.edges.length === 0;
    byId('restart').disabled = w.edges.length === 0;
    const banner = byId('banner');
    const fwd = byId('forward');
    fwd.hidden = true;
    banner.hidden = true;
    banner.className = '';
    if (w.badAt >= 0) {
      banner.hidden = false;
      banner.className = 'bad';
      banner.textContent = 'The URL\'s path does not fit at step ' + w.badAt + '; shown up to where it fits.';
    } else if (P && P.path) {
      banner.hidden = false;
      const n = P.path.length - 1, k = w.edges.length;
      if (isPrefix(w.path, P.path)) {
        banner.className = P.status === 'witnessed' ? 'witness' : 'violation';
        let text = 'The ' + traceWord(P) + ' of ' + P.name + ': step ' + k + ' of ' + n + '.';
        if (k === n) text += P.status === 'witnessed' ? ' Here it is witnessed.'
          : P.kind === 'step' ? ' The last step breaks it.' : ' Here it fails.';
        if (k === n && P.loop !== null) text += ' From here the run loops back to the state after step ' + P.loop + '.';
        banner.textContent = text;
        if (k < n) {
          fwd.hidden = false;
          fwd.onclick = () => go(P.path.slice(0, w.path.length + 1), P.name);
        }
      } else {
        banner.className = 'left';
        banner.append('This path left the ' + traceWord(P) + ' of ' + P.name + '. ',
          h('button', { type: 'button', class: 'link', text: 'Back onto it', onclick: () => go(P.path, P.name) }));
      }
    }
    const list = byId('path');
    const items = [h('li', { class: w.edges.length === 0 ? 'current' : null }, [
      h('button', { type: 'button', class: 'link', text: 'initial state', onclick: () => go(w.path.slice(0, 1), P && P.name) })])];
    w.edges.forEach((e, i) => {
      items.push(h('li', { class: i + 1 === w.edges.length ? 'current' : null, 'data-step': i + 1 }, [
        h('button', { type: 'button', class: 'link', onclick: () => go(w.path.slice(0, i + 2), P && P.name) }, [
          h('span', { class: 'desc', text: T[e.a] }), h('br'), h('span', { class: 'label', text: T[e.l] })])]));
    });
    list.replaceChildren(...items);
    const cur = list.querySelector('li.current');
    if (cur && cur.scrollIntoView && list.scrollHeight > list.clientHeight) cur.scrollIntoView({ block: 'nearest' });
  }

  function renderActions(w, st) {
    const end = byId('end');
    end.hidden = !st.end;
    end.className = st.end || '';
    end.textContent = st.end === 'final' ? 'A final state: every stanza delivered or bounced, nothing in flight.'
                    : st.end === 'deadlock' ? 'A deadlock: nothing is enabled, but the run is not over.' : '';
    const P = current.prop;
    const next = P && P.path && isPrefix(w.path, P.path) && P.path.length > w.path.length ? P.path[w.path.length] : -1;
    byId('actions').replaceChildren(...st.e.map((e, i) => {
      const target = D.states[e.t];
      const marks = [];
      if (e.f) marks.push(h('span', { class: 'mark bad', text: 'breaks ' + e.f.map((p) => D.properties[p].name).join(', ') }));
      if (target.f) marks.push(h('span', { class: 'mark bad', text: 'leads where ' + target.f.map((p) => D.properties[p].name).join(', ') + ' fails' }));
      if (target.end === 'deadlock') marks.push(h('span', { class: 'mark bad', text: 'leads to a deadlock' }));
      if (i === next) marks.push(h('span', { class: 'mark trace', text: 'on the ' + traceWord(P) }));
      return h('li', null, [h('button', { type: 'button', class: 'action', 'data-desc': T[e.a], 'data-index': i,
        onclick: () => go(w.path.concat([i]), P && P.name) }, [
        h('span', { class: 'key', text: i < 9 ? String(i + 1) : '' }),
        h('span', { class: 'desc', text: T[e.a] }),
        h('span', { class: 'label', text: T[e.l] }), ...marks])]);
    }));
  }

  function renderProperties(st, last) {
    const fails = new Set(st.f || []), here = new Set(st.h || []), stepFails = new Set(last && last.f ? last.f : []);
    const rows = D.properties.map((p, i) => {
      let text = '—', cls = '';
      switch (p.kind) {
        case 'always': [text, cls] = fails.has(i) ? ['FAILS here', 'bad'] : ['holds', 'ok']; break;
        case 'step': [text, cls] = !last ? ['— (no step yet)', ''] : stepFails.has(i) ? ['BROKEN by the last step', 'bad'] : ['kept by the last step', 'ok']; break;
        case 'sometimes': [text, cls] = here.has(i) ? ['witnessed here', 'ok'] : ['—', '']; break;
        case 'eventually': [text, cls] = here.has(i) ? ['met here', 'ok'] : ['not yet', '']; break;
        case 'deadlock': [text, cls] = st.end === 'deadlock' ? ['a deadlock', 'bad'] : ['—', '']; break;
      }
      const check = [h('span', { class: 'status ' + p.status.replace(/ /g, '-'), text: p.status })];
      if (p.path) {
        check.push(' ', h('button', { type: 'button', class: 'jump', 'data-prop': p.name,
          text: traceWord(p) + ' (' + (p.path.length - 1) + ' steps)', onclick: () => go(p.path, p.name) }));
      }
      return h('tr', { 'data-prop': p.name, class: cls === 'bad' ? 'failing' : null }, [
        h('td', { class: 'pname', text: p.name }),
        h('td', { class: 'rules' }, p.rules.flatMap((id, k) => [k ? ' ' : '',
          h('abbr', { class: 'rule', title: (p.rule_texts || [])[k] || id, text: id })])),
        h('td', { class: 'kind', text: p.kind }),
        h('td', { class: 'here ' + cls, text: text }),
        h('td', { class: 'check' }, check)]);
    });
    byId('properties').tBodies[0].replaceChildren(...rows);
  }

  function renderStep(w, last) {
    const box = byId('step');
    if (!last) {
      box.replaceChildren(h('p', { class: 'quiet', id: 'step-caption', text: 'The initial state: nothing has moved yet.' }));
      return;
    }
    box.replaceChildren(
      h('p', { id: 'step-caption' }, [h('span', { class: 'stepno', text: 'Step ' + w.edges.length + ': ' }),
        h('span', { class: 'desc', text: T[last.a] })]),
      T[last.d] ? h('p', { class: 'direction', id: 'step-direction', text: T[last.d] + (T[last.c] ? ' · ' + T[last.c] : '') })
                : h('p', { class: 'direction', id: 'step-direction', text: T[last.c] }),
      xml(T[last.x], 'step-xml'),
      ...(T[last.r] ? [h('p', { class: 'direction', text: 'Then:' }),
        h('ul', { id: 'step-then' }, T[last.r].split('\n').map((line) => h('li', { text: line })))] : []),
      ...(T[last.w] ? [h('p', { class: 'direction', text: 'It wrote:' }), xml(T[last.w], 'step-wrote')] : []),
      ...(last.f ? [h('p', { class: 'bad', text: 'This step breaks ' + last.f.map((p) => D.properties[p].name).join(', ') + '.' })] : []));
  }

  function flags(all, on) {
    return h('div', { class: 'flags' }, all.concat(on.filter((f) => !all.includes(f))).map((f) =>
      h('span', { class: 'flag ' + (on.includes(f) ? 'on' : 'off'), text: f, title: on.includes(f) ? f + ': yes' : f + ': not yet' })));
  }
  function facts(rows) {
    return h('dl', null, rows.filter((r) => r[1]).flatMap((r) => [h('dt', { text: r[0] }), h('dd', { text: r[1] })]));
  }
  function endpoint(e, role, server) {
    return h('div', { class: 'end', 'data-end': e.name[0] }, [
      h('div', { class: 'end-head' }, [h('span', { class: 'end-name', text: e.name }),
        h('span', { class: 'end-role', text: server + ', ' + role })]),
      h('div', { class: 'state', text: e.state }),
      flags(['TLS', 'bidi', 'SASL'], e.flags),
      facts([['stream id', e.stream], ['header', e.header],
             [role === 'initiating' ? 'offered to it' : 'offers', e.features.replace(/^features: /, '')],
             ['peer cert', e.cert], ['SASL authz', e.authz], ['db:verify out', e.verifies ? String(e.verifies) : '']])]);
  }
  function direction(c, key, from, to) {
    const d = c[key];
    const pairs = d.pairs.length
      ? d.pairs.map((p) => h('li', { class: p.send && p.accept ? 'ok' : 'half' }, [
          p.pair + ' ',
          h('span', { class: 'quiet', text: p.send && p.accept ? '(' + from + ' may send, ' + to + ' accepts)'
            : p.send ? '(' + from + ' may send, ' + to + ' does NOT accept)' : '(' + to + ' accepts, ' + from + ' may not send)' })]))
      : [h('li', { class: 'quiet', text: 'no pair authorized yet' })];
    return h('div', { class: 'dir', 'data-dir': key }, [
      h('h4', { text: from + ' → ' + to }),
      h('div', { class: 'sub', text: 'authorized stanzas' }), h('ul', { class: 'pairs' }, pairs),
      d.dialback.length ? h('div', { class: 'sub', text: 'dialback' }) : null,
      d.dialback.length ? h('ul', { class: 'dialback' }, d.dialback.map((t) => h('li', { text: t }))) : null,
      h('div', { class: 'sub', text: d.fifo.length ? 'in flight (' + d.fifo.length + '), oldest first' : 'in flight: nothing' }),
      h('div', { class: 'fifo' }, d.fifo.map((x) => xml(T[x])))]);
  }
  function renderConnections(st) {
    const box = byId('connections');
    if (!st.c.length) {
      box.replaceChildren(h('p', { class: 'quiet', text: 'No connection is open.' }));
      return;
    }
    box.replaceChildren(...st.c.map((ci) => {
      const c = D.conns[ci];
      const i = 'I' + c.n, r = 'R' + c.n;
      return h('div', { class: 'conn', 'data-n': c.n }, [
        h('h3', { text: 'Connection ' + c.n + ': ' + c.initiator + ' dialled ' + c.receiver }),
        h('div', { class: 'ends' }, [endpoint(c.I, 'initiating', c.initiator), endpoint(c.R, 'receiving', c.receiver)]),
        h('div', { class: 'dirs' }, [direction(c, 'ir', i, r), direction(c, 'ri', r, i)])]);
    }));
  }

  function renderStanzas(st) {
    byId('stanzas').replaceChildren(...st.s.map((t, k) => {
      const s = D.topology.stanzas[k], text = T[t];
      return h('li', { class: 'fate ' + text.split(' ')[0], 'data-stanza': k }, [
        h('span', { class: 'sname', text: s.name }), ' ' + s.from + ' → ' + s.to + ': ', h('strong', { text: text })]);
    }));
    byId('notes').replaceChildren(...(st.n || []).map((t) => h('li', { text: T[t] })));
  }

  // --- once ----------------------------------------------------------------------------------
  byId('description').textContent = D.topology.description || '(no description)';
  byId('servers').replaceChildren(...D.topology.servers.map((s) => h('li', { text: s.name + ': ' + s.domains })));
  byId('back').addEventListener('click', () => {
    const w = current.walk;
    if (w.edges.length) go(w.path.slice(0, -1), current.prop && current.prop.name);
  });
  byId('restart').addEventListener('click', () => go(current.walk.path.slice(0, 1), null));
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName)) return;
    if (ev.key === 'Backspace') { byId('back').click(); ev.preventDefault(); }
    else if (ev.key === 'ArrowRight' && !byId('forward').hidden) byId('forward').click();
    else if (/^[1-9]$/.test(ev.key)) {
      const b = document.querySelector('#actions button.action[data-index="' + (Number(ev.key) - 1) + '"]');
      if (b) b.click();
    }
  });
  window.addEventListener('hashchange', render);
  render();
})();
