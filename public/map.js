// The app's maps on Leaflet, with the facilities clustered by supercluster. Loaded after them
// when a map first opens (src/platform/leaflet.rs), never on the first visit; precached by the
// service worker like them. Written in JavaScript because every call from the app's Wasm is a
// crossing (and a binding in its first-visit glue): the app hands over all the facilities in
// one call, and the markers are made here, only for what the map shows.
//
// `parvisMap.create(map)` takes over a Leaflet map (made by the app through the `leaflet`
// crate, fitted to the commune's bounds, with its tiles) and returns its handle:
// - `show(points, names, colours)`: the facilities, replacing those shown. `points` holds four
//   numbers per facility (id, latitude, longitude, colour index), `names` their names, one a
//   line, `colours` the categories' checked `#rrggbb` colours, separated by spaces (an index
//   past them draws a grey pin);
// - `on("open", f)`: `f(id)` when a facility's marker is tapped or activated with the keyboard;
//   `on("tap", f)`: `f(lat, lon)` at each tap on the map itself;
// - `locate(lat, lon)`: shows the resident's position and centres the map on it;
// - `remove()`: takes the map down.
(() => {
  "use strict";
  const MAX_ZOOM = 19;
  // supercluster clusters up to this zoom: each zoom above would cost nearly as much as
  // indexing all the points again (few merge), on the way to the first render. Above it,
  // the few facilities in view whose pins overlap are stacked by `draw` instead.
  const INDEX_MAX_ZOOM = 16;
  // Pins closer than this, in pixels, overlap.
  const PIN_WIDTH = 28;
  const GREY = "#4a5361";
  // The pin of a category: its colour as an SVG `fill` attribute (our CSP forbids inline styles).
  const pin = (colour) =>
    `<svg class="map-marker__pin" viewBox="0 0 28 36" aria-hidden="true"><path fill="${colour}" stroke="#ffffff" stroke-width="2.5" d="M14 1.5C7.1 1.5 1.5 7 1.5 13.8 1.5 23 14 34.5 14 34.5S26.5 23 26.5 13.8C26.5 7 20.9 1.5 14 1.5z"/><circle cx="14" cy="14" r="4.5" fill="#ffffff"/></svg>`;

  class FacilityMap {
    constructor(map) {
      this.map = map;
      // Every marker shown, in one group that hears their clicks (one handler for all).
      this.layer = L.featureGroup().addTo(map);
      this.layer.on("click", (e) => this.activate(e.sourceTarget));
      // Leaflet makes each marker a focusable `role="button"`; Enter and Space press it.
      this.layer.on("keydown", (e) => {
        if (e.originalEvent.key !== "Enter" && e.originalEvent.key !== " ") return;
        e.originalEvent.preventDefault();
        this.activate(e.sourceTarget);
      });
      this.handlers = { open() {}, tap() {} };
      map.on("click", (e) => this.handlers.tap(e.latlng.lat, e.latlng.lng));
      map.on("moveend", () => this.draw());
      // What `show` gave, the clustering index, and the markers shown by key.
      this.ids = [];
      this.names = [];
      this.icons = [];
      this.index = null;
      this.shown = new Map();
      this.me = null;
    }

    on(name, f) {
      this.handlers[name] = f;
    }

    show(points, names, colours) {
      const count = points.length / 4;
      const features = new Array(count);
      // `points` is a view of the app's memory: read now, never kept.
      this.ids = new Float64Array(count);
      this.colours = new Uint16Array(count);
      for (let i = 0, j = 0; i < count; i++, j += 4) {
        this.ids[i] = points[j];
        this.colours[i] = points[j + 3];
        features[i] = { type: "Feature", geometry: { type: "Point", coordinates: [points[j + 2], points[j + 1]] }, properties: { i } };
      }
      this.names = names.split("\n");
      this.icons = colours
        .split(" ")
        .concat(GREY)
        .map((colour) => L.divIcon({ className: "map-marker", iconSize: [28, 36], iconAnchor: [14, 36], html: pin(colour) }));
      // Radius and extent in the 256-pixel tiles' pixels, as markercluster's 80-pixel default.
      this.index = new Supercluster({ radius: 80, extent: 256, maxZoom: INDEX_MAX_ZOOM });
      this.index.load(features);
      this.layer.clearLayers();
      this.shown.clear();
      this.draw();
    }

    // Shows the clusters and facilities in view (and a margin around it): markers are made only
    // for them, and kept while they stay in view.
    draw() {
      if (!this.index) return;
      const bounds = this.map.getBounds().pad(0.25);
      const zoom = Math.round(this.map.getZoom());
      let features = this.index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], zoom);
      if (zoom > INDEX_MAX_ZOOM) features = this.stack(features, zoom);
      const next = new Map();
      for (const feature of features) {
        const p = feature.properties;
        const key = p.cluster ? "c" + p.cluster_id : p.stack ? "k" + p.stack.join() : p.i;
        let marker = this.shown.get(key);
        if (marker) {
          this.shown.delete(key);
        } else {
          const [lon, lat] = feature.geometry.coordinates;
          marker = p.point_count ? this.clusterMarker(p, [lat, lon]) : this.facilityMarker(p.i, [lat, lon]);
          this.layer.addLayer(marker);
        }
        next.set(key, marker);
      }
      // Left now: what went out of view, and the facilities a stack was spread into.
      for (const marker of this.shown.values()) this.layer.removeLayer(marker);
      this.shown = next;
    }

    // The facilities in view (all single points above the index's zoom), with those whose
    // pins would overlap the first one's gathered in a stack, shown like a cluster.
    stack(points, zoom) {
      const stacks = [];
      for (const point of points) {
        const [lon, lat] = point.geometry.coordinates;
        const at = this.map.project([lat, lon], zoom);
        const near = stacks.find((s) => s.at.distanceTo(at) < PIN_WIDTH);
        if (near) near.members.push(point.properties.i);
        else stacks.push({ at, point, members: [point.properties.i] });
      }
      return stacks.map(({ point, members }) =>
        members.length === 1 ? point : { geometry: point.geometry, properties: { stack: members, point_count: members.length } },
      );
    }

    facilityMarker(i, position) {
      const icon = this.icons[Math.min(this.colours[i], this.icons.length - 1)];
      // Named by its title (its pin is hidden from screen readers).
      const marker = L.marker(position, { icon, title: this.names[i], keyboard: true });
      marker.facility = i;
      return marker;
    }

    clusterMarker(p, position) {
      const n = p.point_count;
      const size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      const icon = L.divIcon({ html: `<div><span>${n}</span></div>`, className: "marker-cluster marker-cluster-" + size, iconSize: [40, 40] });
      const marker = L.marker(position, { icon, keyboard: true });
      if (p.stack) marker.stack = p.stack;
      else marker.cluster = p.cluster_id;
      return marker;
    }

    // A tap (or Enter, or Space) on a marker: a facility opens; a cluster zooms in to where it
    // splits; a stack of overlapping pins zooms in one step, or at the highest zoom (facilities
    // at one address) is spread around its place.
    activate(marker) {
      if (marker.facility !== undefined) {
        this.handlers.open(this.ids[marker.facility]);
      } else if (marker.cluster !== undefined) {
        this.map.setView(marker.getLatLng(), this.index.getClusterExpansionZoom(marker.cluster));
      } else if (marker.stack && this.map.getZoom() < MAX_ZOOM) {
        this.map.setView(marker.getLatLng(), this.map.getZoom() + 1);
      } else if (marker.stack) {
        this.spread(marker);
      }
    }

    // Shows a stack's facilities on a circle around it, until the next draw.
    spread(marker) {
      const members = marker.stack;
      const centre = this.map.latLngToLayerPoint(marker.getLatLng());
      const radius = Math.max(30, (members.length * 32) / (2 * Math.PI));
      this.layer.removeLayer(marker);
      this.shown.delete("k" + members.join());
      members.forEach((i, k) => {
        const angle = (2 * Math.PI * k) / members.length;
        const at = this.map.layerPointToLatLng(centre.add([radius * Math.cos(angle), radius * Math.sin(angle)]));
        const spread = this.facilityMarker(i, at);
        this.layer.addLayer(spread);
        // Removed at the next draw, with what went out of view.
        this.shown.set("s" + i, spread);
        if (k === 0) spread.getElement()?.focus();
      });
    }

    locate(lat, lon) {
      if (this.me) this.map.removeLayer(this.me);
      this.me = L.circleMarker([lat, lon], { radius: 8, className: "map-me" }).addTo(this.map);
      this.map.setView([lat, lon], Math.max(this.map.getZoom(), 15));
    }

    remove() {
      this.map.remove();
    }
  }

  window.parvisMap = {
    create: (...args) => new FacilityMap(...args),
  };
})();
