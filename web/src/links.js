// The link chart (cytoscape, loaded on demand): the person, each flight
// and the co-travellers, edges labelled by how they are linked.
import cytoscape from 'cytoscape';

// Cytoscape adds a <style> element unless one with this id exists; the
// CSP refuses inline styles, so the rule it wants is in style.css instead.
const SHEET_ID = '__________cytoscape_stylesheet';

export function linkChart(container, personName, moves) {
  if (!document.getElementById(SHEET_ID)) document.head.append(Object.assign(document.createElement('meta'), { id: SHEET_ID }));
  const nodes = [{ data: { id: 'p', label: personName, type: 'person' } }];
  const edges = [];
  const seen = new Set(['p']);
  for (const { movement: m, co_travellers: cs } of moves) {
    const f = `f:${m.carrier}${m.flight}:${m.departure}`;
    if (!seen.has(f)) { seen.add(f); nodes.push({ data: { id: f, label: `${m.flight && m.carrier && m.flight.startsWith(m.carrier) ? m.flight : (m.carrier || '') + (m.flight || '')} ${m.origin}→${m.destination}`, type: 'flight' } }); }
    edges.push({ data: { id: `e:p:${f}`, source: 'p', target: f, label: 'travelled' } });
    for (const c of cs || []) {
      const id = `c:${c.movement}`;
      if (!seen.has(id)) { seen.add(id); nodes.push({ data: { id, label: `${c.given || ''} ${c.surname || ''}`.trim(), type: 'co' } }); }
      edges.push({ data: { id: `e:${id}:${f}`, source: c.link === 'same-booking' ? 'p' : f, target: id, label: c.link } });
    }
  }
  return cytoscape({
    container,
    elements: { nodes, edges },
    layout: { name: 'cose', animate: false, randomize: false, padding: 30, idealEdgeLength: () => 140, nodeRepulsion: () => 900000 },
    userZoomingEnabled: true,
    boxSelectionEnabled: false,
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': '#5b7083', color: '#14202b', width: 22, height: 22 } },
      { selector: 'node[type = "person"]', style: { 'background-color': '#b3261e', width: 32, height: 32, 'font-weight': 'bold' } },
      { selector: 'node[type = "flight"]', style: { shape: 'round-rectangle', 'background-color': '#1f5f8b' } },
      { selector: 'edge', style: { width: 2, 'line-color': '#9aa8b4', label: 'data(label)', 'font-size': 10, 'curve-style': 'bezier', color: '#3c4a56', 'text-background-color': '#fff', 'text-background-opacity': 1 } },
    ],
  });
}
