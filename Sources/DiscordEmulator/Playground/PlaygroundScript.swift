/// The playground's script: renders the live view (server-sent events) like Discord's client and
/// acts as the chosen member through the control API. Plain JavaScript, no build step.
enum PlaygroundScript {
    static let source = #"""
"use strict";
// The Anankor playground: renders the emulator's live view (server-sent events) the way
// Discord's client would, and acts as the chosen member through the emulator's control API.
(function () {
  const $ = (id) => document.getElementById(id);
  const ui = {
    app: $("app"), guildName: $("guild-name"), textChannels: $("text-channels"), voiceChannels: $("voice-channels"),
    actAs: $("act-as"), locale: $("locale"), voiceStatus: $("voice-status"), voiceChannelName: $("voice-channel-name"),
    voiceLeave: $("voice-leave"), channelName: $("channel-name"), live: $("live-status"), messages: $("messages"),
    composer: $("composer"), input: $("composer-input"), popup: $("command-popup"), commandForm: $("command-form"),
    commandLegend: $("command-legend"), commandOptions: $("command-options"), error: $("composer-error"),
    memberList: $("member-list"), playersPanel: $("players-panel"), players: $("players"), clockPanel: $("clock-panel"),
    clockStatus: $("clock-status"), clockForm: $("clock-form"), clockSpeed: $("clock-speed"), faults: $("faults"),
    scenarioPanel: $("scenario-panel"), scenarioForm: $("scenario-form"), scenarioSelect: $("scenario-select"),
    scenarioText: $("scenario-text"), scenarioStatus: $("scenario-status"), transcript: $("scenario-transcript"),
    toast: $("toast"),
  };
  const state = {
    view: null, me: localStorage.getItem("playground.me") || "", channelId: null, command: null,
    popupItems: [], popupIndex: 0, dismissed: new Set(), rendered: {},
  };

  // ---- talking to the emulator -------------------------------------------------------------
  async function api(method, path, body) {
    const response = await fetch("/_emulator" + path, {
      method, headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    if (text) { try { data = JSON.parse(text); } catch (_) { data = null; } }
    if (!response.ok) throw new Error((data && data.message) || ("HTTP " + response.status));
    return data;
  }

  function connect() {
    const source = new EventSource("/_emulator/playground/events");
    source.addEventListener("view", (event) => {
      state.view = JSON.parse(event.data);
      ui.live.textContent = "live";
      ui.live.classList.add("live");
      render();
    });
    // EventSource reconnects by itself; the page only says so.
    source.onerror = () => { ui.live.textContent = "reconnecting…"; ui.live.classList.remove("live"); };
  }

  function toast(text, isError) {
    ui.toast.textContent = text;
    ui.toast.classList.toggle("error", !!isError);
  }

  function showError(text) { ui.error.textContent = text || ""; }

  // ---- reading the view ----------------------------------------------------------------------
  function guild() { return state.view && state.view.guilds[0]; }
  function member(id) { const g = guild(); return g && g.members.find((m) => m.id === id); }
  function memberName(id) {
    const m = member(id);
    if (m) return m.display_name;
    const app = state.view && state.view.applications.find((a) => a.user_id === id);
    return app ? app.name : "unknown";
  }
  function channel(id) { const g = guild(); return g && g.channels.find((c) => c.id === id); }
  function isVoice(c) { return c.type === 2 || c.type === 13; }
  function isText(c) { return c.type === 0 || c.type === 5; }
  function me() { return member(state.me); }
  function locale() { const m = me(); return (m && m.locale) || "en-US"; }
  function localized(map, fallback) {
    if (!map) return fallback;
    const loc = locale();
    return map[loc] || map[loc.split("-")[0]] || fallback;
  }
  function changed(key, value) {
    const text = JSON.stringify(value);
    if (state.rendered[key] === text) return false;
    state.rendered[key] = text;
    return true;
  }

  // ---- small DOM helpers ---------------------------------------------------------------------
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "html") node.innerHTML = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const palette = ["#5865f2", "#3ba55c", "#faa61a", "#ed4245", "#eb459e", "#747f8d", "#00a8fc", "#9b59b6"];
  function avatar(id, name, small) {
    let hash = 0;
    for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    return el("span", { class: "avatar" + (small ? " small" : ""), style: "background:" + palette[hash % palette.length],
      "aria-hidden": "true", text: (name || "?").charAt(0).toUpperCase() });
  }
  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  // Discord's markdown, the parts bots use: code, bold, italics, underline, strike, links, mentions.
  function markdown(text) {
    const blocks = [];
    let html = escapeHTML(text || "");
    html = html.replace(/```(?:[a-z]*\n)?([\s\S]*?)```/g, (_, code) => { blocks.push("<pre>" + code + "</pre>"); return "\u0000" + (blocks.length - 1) + "\u0000"; });
    html = html.replace(/`([^`]+)`/g, (_, code) => { blocks.push("<code>" + code + "</code>"); return "\u0000" + (blocks.length - 1) + "\u0000"; });
    html = html.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/__([^_]+)__/g, "<u>$1</u>")
      .replace(/~~([^~]+)~~/g, "<s>$1</s>")
      .replace(/(^|[^*])\*([^*\n]+)\*/g, "$1<em>$2</em>")
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
      .replace(/&lt;@!?(\d+)&gt;/g, (_, id) => '<span class="mention">@' + escapeHTML(memberName(id)) + "</span>")
      .replace(/&lt;#(\d+)&gt;/g, (_, id) => { const c = channel(id); return '<span class="mention">' + (c && isVoice(c) ? "🔊 " : "#") + escapeHTML(c ? c.name : "unknown") + "</span>"; })
      .replace(/&lt;@&amp;(\d+)&gt;/g, (_, id) => { const g = guild(); const r = g && g.roles.find((x) => x.id === id); return '<span class="mention">@' + escapeHTML(r ? r.name : "role") + "</span>"; });
    return html.replace(/\u0000(\d+)\u0000/g, (_, i) => blocks[Number(i)]);
  }
  function clock(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }

  // ---- rendering -----------------------------------------------------------------------------
  function render() {
    const g = guild();
    if (!g) { ui.guildName.textContent = "No guild yet"; return; }
    const people = g.members.filter((m) => !m.bot);
    if (!member(state.me) && people.length) state.me = people[0].id;
    if (!state.channelId || !channel(state.channelId)) {
      const first = g.channels.find(isText);
      state.channelId = first ? first.id : null;
    }
    ui.guildName.textContent = g.name;
    renderActAs(people);
    renderChannels(g);
    renderMessages(g);
    renderMembers(g);
    renderHost(state.view.host);
    renderGatewayFaults();
    // Newly registered commands or a new language show in an open command list at once.
    const commandsKey = [state.view.applications.map((a) => a.commands), locale()];
    if (changed("commandList", commandsKey) && !ui.popup.hidden) updatePopup();
  }

  function renderActAs(people) {
    if (changed("actAs", people.map((p) => [p.id, p.display_name]))) {
      ui.actAs.replaceChildren(...people.map((p) => el("option", { value: p.id, text: p.display_name })));
    }
    ui.actAs.value = state.me;
    const m = me();
    if (m && document.activeElement !== ui.locale) {
      if (![...ui.locale.options].some((o) => o.value === m.locale)) ui.locale.append(el("option", { value: m.locale, text: m.locale }));
      ui.locale.value = m.locale;
    }
    const c = channel(state.channelId);
    ui.input.placeholder = "Message #" + (c ? c.name : "") + " — type / for commands";
  }

  function renderChannels(g) {
    const mine = me();
    const text = g.channels.filter(isText);
    if (changed("textChannels", [text, state.channelId])) {
      ui.textChannels.replaceChildren(...text.map((c) => el("li", {}, el("button", {
        type: "button", class: "channel", "data-channel-id": c.id, "aria-current": c.id === state.channelId ? "true" : "false",
      }, [el("span", { class: "glyph", "aria-hidden": "true", text: "#" }), c.name]))));
    }
    const voice = g.channels.filter(isVoice).map((c) => ({
      c, inside: g.members.filter((m) => m.voice_channel_id === c.id),
    }));
    if (changed("voiceChannels", [voice, state.me])) {
      ui.voiceChannels.replaceChildren(...voice.map(({ c, inside }) => {
        const here = mine && mine.voice_channel_id === c.id;
        const label = (here ? "You are in " : "Join ") + c.name + (inside.length ? ", " + inside.length + " inside" : "");
        return el("li", { "data-voice-channel": c.name }, [
          el("button", { type: "button", class: "channel voice", "data-voice-id": c.id, "aria-pressed": here ? "true" : "false",
            "aria-label": label }, [el("span", { class: "glyph", "aria-hidden": "true", text: "🔊" }), c.name]),
          el("ul", { class: "voice-members", "aria-label": "In " + c.name }, inside.map((m) => el("li", {
            class: "voice-member", "data-member-id": m.id, "data-name": m.display_name, "data-bot": m.bot ? "true" : "false",
          }, [avatar(m.id, m.display_name, true), m.display_name, m.bot ? el("span", { class: "app-tag", text: "APP" }) : null,
            m.self_mute ? el("span", { "aria-label": "muted", text: "🔇" }) : null]))),
        ]);
      }));
    }
    const current = mine && mine.voice_channel_id ? channel(mine.voice_channel_id) : null;
    ui.voiceStatus.hidden = !current;
    ui.voiceChannelName.textContent = current ? current.name + " / " + g.name : "";
    const c = channel(state.channelId);
    ui.channelName.textContent = c ? c.name : "";
  }

  function renderMessages(g) {
    const all = (g.messages[state.channelId] || []);
    const unanswered = (state.view.unanswered || []).filter((u) => u.channel_id === state.channelId && u.user_id === state.me);
    if (!changed("messages", [all, unanswered, state.me, [...state.dismissed], state.view.applications.map((a) => a.name)])) return;
    const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
    const items = [];
    for (const m of all) {
      const interaction = m.playground_interaction;
      const ephemeral = (m.flags & 64) !== 0;
      // An ephemeral message exists only in the client of the member it answers.
      if (ephemeral && (!interaction || interaction.user_id !== state.me)) continue;
      if (ephemeral && state.dismissed.has(m.id)) continue;
      items.push({ key: m.id, sig: JSON.stringify(m), make: () => messageItem(m, interaction, ephemeral) });
    }
    for (const u of unanswered) {
      if (state.dismissed.has(u.id)) continue;
      const app = state.view.applications.find((a) => a.id === u.application_id);
      items.push({ key: "unanswered-" + u.id, sig: JSON.stringify(u), make: () => el("li", { class: "message ephemeral system", "data-message-id": u.id }, [
        avatar(u.application_id, app ? app.name : "?"),
        el("div", { class: "message-body" }, [
          el("div", { class: "message-header" }, [el("span", { class: "author", text: app ? app.name : "App" }), el("span", { class: "app-tag", text: "APP" })]),
          el("div", { class: "content", text: "The application did not respond" }),
          ephemeralNote(u.id),
        ]),
      ]) });
    }
    reconcile(ui.messages, items);
    if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  /// Updates a list in place: unchanged items keep their elements (focus, an open select menu, and
  /// screen readers hear only what is new), changed ones are replaced, gone ones removed.
  function reconcile(container, items) {
    const wanted = new Set(items.map((item) => item.key));
    for (const child of [...container.children]) if (!wanted.has(child.dataset.key)) child.remove();
    let cursor = container.firstElementChild;
    for (const item of items) {
      const existing = cursor && cursor.dataset.key === item.key ? cursor : null;
      if (existing && existing.dataset.sig === item.sig) { cursor = existing.nextElementSibling; continue; }
      const fresh = item.make();
      fresh.dataset.key = item.key;
      fresh.dataset.sig = item.sig;
      if (existing) { existing.replaceWith(fresh); cursor = fresh.nextElementSibling; }
      else container.insertBefore(fresh, cursor);
    }
  }

  function messageItem(m, interaction, ephemeral) {
    const author = m.author || {};
    const name = memberName(author.id) !== "unknown" ? memberName(author.id) : (author.global_name || author.username);
    const time = new Date(m.timestamp);
    const body = [];
    if (interaction) {
      const verb = interaction.type === 2 ? "used /" + (interaction.name || "") : interaction.type === 3 ? "used a button or menu" : "interacted";
      body.push(el("div", { class: "reply-context" }, [el("span", { class: "mention", text: "@" + memberName(interaction.user_id) }), " " + verb]));
    }
    const main = [];
    main.push(el("div", { class: "message-header" }, [
      el("span", { class: "author", text: name }), author.bot ? el("span", { class: "app-tag", text: "APP" }) : null,
      el("time", { class: "time", datetime: m.timestamp, text: isNaN(time) ? "" : "Today at " + time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }),
    ]));
    const content = el("div", { class: "content" });
    if (m.flags & 128) content.append(el("span", { class: "thinking", text: name + " is thinking…" }));
    else if (m.content) content.innerHTML = markdown(m.content);
    if (m.edited_timestamp) content.append(" ", el("span", { class: "edited", title: m.edited_timestamp, text: "(edited)" }));
    main.push(content);
    for (const embed of m.embeds || []) main.push(embedItem(embed));
    if ((m.components || []).length) main.push(componentsItem(m));
    if (ephemeral) main.push(ephemeralNote(m.id));
    body.push(avatar(author.id, name), el("div", { class: "message-body" }, main));
    return el("li", { class: "message" + (ephemeral ? " ephemeral" : ""), "data-message-id": m.id, "data-edited": m.edited_timestamp ? "true" : "false" }, body);
  }

  function ephemeralNote(id) {
    const dismiss = el("button", { type: "button", "data-dismiss": id, text: "Dismiss message" });
    return el("div", { class: "ephemeral-note" }, [el("span", { "aria-hidden": "true", text: "👁 " }), "Only you can see this · ", dismiss]);
  }

  function embedItem(e) {
    const color = typeof e.color === "number" ? "#" + e.color.toString(16).padStart(6, "0") : "#1e1f22";
    const parts = [];
    if (e.author && e.author.name) parts.push(el("div", { class: "embed-author", text: e.author.name }));
    if (e.title) {
      parts.push(el("div", { class: "embed-title" }, e.url ? el("a", { href: e.url, target: "_blank", rel: "noopener", html: markdown(e.title) }) : el("span", { html: markdown(e.title) })));
    }
    if (e.description) parts.push(el("div", { class: "embed-description", html: markdown(e.description) }));
    if ((e.fields || []).length) {
      parts.push(el("div", { class: "embed-fields" }, e.fields.map((f) => el("div", { class: "embed-field" + (f.inline ? "" : " wide") }, [
        el("div", { class: "embed-field-name", html: markdown(f.name) }), el("div", { html: markdown(f.value) }),
      ]))));
    }
    if (e.footer && e.footer.text) parts.push(el("div", { class: "embed-footer", html: markdown(e.footer.text) }));
    return el("div", { class: "embed", style: "border-left-color:" + color }, parts);
  }

  function componentsItem(m) {
    return el("div", { class: "components" }, (m.components || []).map((row) => el("div", { class: "action-row", role: "group" },
      (row.components || []).map((c) => componentItem(m, c)))));
  }

  function componentItem(m, c) {
    const emoji = c.emoji && c.emoji.name ? c.emoji.name + " " : "";
    if (c.type === 2 && c.style === 5) {
      return el("a", { class: "btn btn-5", href: c.url, target: "_blank", rel: "noopener", text: emoji + (c.label || "Link") + " ↗" });
    }
    if (c.type === 2) {
      const label = (c.label || "").trim();
      return el("button", { type: "button", class: "btn btn-" + (c.style || 2), "data-custom-id": c.custom_id, "data-message": m.id,
        disabled: !!c.disabled, "aria-label": label ? null : (c.emoji && c.emoji.name) || c.custom_id, text: (emoji + label).trim() });
    }
    if (c.type === 3) {
      const multiple = (c.max_values || 1) > 1;
      const select = el("select", { class: "select-menu", "data-custom-id": c.custom_id, "data-message": m.id, "aria-label": c.placeholder || "Choose an option",
        multiple: multiple, disabled: !!c.disabled }, [
        multiple ? null : el("option", { value: "", text: c.placeholder || "Make a selection" }),
        ...(c.options || []).map((o) => el("option", { value: o.value, selected: !!o.default && multiple, text: ((o.emoji && o.emoji.name) ? o.emoji.name + " " : "") + o.label + (o.description ? " — " + o.description : "") })),
      ]);
      if (!multiple) return select;
      return el("span", { class: "action-row" }, [select, el("button", { type: "button", class: "btn btn-1", "data-submit-select": c.custom_id, "data-message": m.id, text: "Choose" })]);
    }
    return el("span", { class: "muted", text: "(a component this page does not show)" });
  }

  function renderMembers(g) {
    const connected = new Set(state.view.applications.filter((a) => a.connected).map((a) => a.user_id));
    const bots = g.members.filter((m) => m.bot), people = g.members.filter((m) => !m.bot);
    if (!changed("members", [g.members, [...connected]])) return;
    const item = (m) => {
      const voice = m.voice_channel_id ? channel(m.voice_channel_id) : null;
      const online = m.bot ? connected.has(m.id) : true;
      return el("div", { class: "member", "data-member-id": m.id }, [
        el("span", { class: "avatar", style: avatar(m.id, m.display_name).getAttribute("style"), "aria-hidden": "true", text: m.display_name.charAt(0).toUpperCase() },
          el("span", { class: "status-dot" + (online ? " online" : "") })),
        el("div", {}, [
          el("div", { class: "member-name" }, [m.display_name, m.bot ? " " : null, m.bot ? el("span", { class: "app-tag", text: "APP" }) : null]),
          el("div", { class: "member-detail", text: (online ? "online" : "offline") + (voice ? " · 🔊 " + voice.name : "") + (m.bot ? "" : " · " + m.locale) }),
        ]),
      ]);
    };
    ui.memberList.replaceChildren(
      el("h3", { class: "member-group", text: "Bots — " + bots.length }), ...bots.map(item),
      el("h3", { class: "member-group", text: "Members — " + people.length }), ...people.map(item));
  }

  function renderHost(host) {
    ui.playersPanel.hidden = !host;
    ui.clockPanel.hidden = !host;
    ui.scenarioPanel.hidden = !host;
    if (!host) return;
    if (changed("players", host.nodes)) {
      const cards = [];
      for (const node of host.nodes) {
        cards.push(el("div", { class: "card", "data-node": node.name }, [
          el("div", { class: "card-title", text: "Node " + node.name + (node.up ? "" : " — down") }),
          el("div", { class: "muted", text: node.up ? node.players.length + " player(s)" : "killed: refuses connections" }),
        ]));
        for (const p of node.players) cards.push(playerCard(node, p));
      }
      ui.players.replaceChildren(...cards);
    }
    ui.clockStatus.textContent = "Virtual time " + clock(host.clock.now_ms) + " · speed ×" + host.clock.speed + (host.clock.speed === 0 ? " (stopped: skip ahead to move it)" : "");
    if (document.activeElement !== ui.clockSpeed) ui.clockSpeed.value = host.clock.speed;
    renderWorkerFaults(host);
    renderScenario(host);
  }

  function playerCard(node, p) {
    const c = p.channel_id ? channel(p.channel_id) : null;
    const where = c ? "🔊 " + c.name : "no voice channel yet";
    const bot = memberName(p.user_id);
    const parts = [el("div", { class: "card-title", text: where + " · " + bot })];
    if (p.track) {
      parts.push(el("div", { text: p.track.title + " — " + p.track.author }));
      const length = p.track.is_stream ? 0 : p.track.length;
      parts.push(el("progress", { max: Math.max(1, length), value: Math.min(p.position, length || p.position), "aria-label": "Position of " + p.track.title }));
      parts.push(el("div", { class: "player-state", text: (p.paused ? "⏸ paused" : "▶ playing") + " · " + clock(p.position) + " / " + (p.track.is_stream ? "live" : clock(length)) }));
    } else {
      parts.push(el("div", { class: "muted", text: "nothing playing" }));
    }
    parts.push(el("div", { class: "muted", text: "volume " + p.volume + "% · filters: " + (p.filters.length ? p.filters.join(", ") : "none") + " · voice " + (p.voice_connected ? "connected" : "not connected") }));
    return el("div", { class: "card player", "data-player-guild": p.guild_id, "data-player-channel": c ? c.name : "" }, parts);
  }

  function renderWorkerFaults(host) {
    if (!changed("hostFaults", [host.workers, host.nodes.map((n) => [n.name, n.up])])) return;
    const workers = host.workers.map((w) => el("div", { class: "card", "data-worker": w.name }, [
      el("div", { class: "card-title", text: w.name }),
      el("div", { class: "muted", text: w.state + (w.bot_user_id ? " · holds " + memberName(w.bot_user_id) : "") }),
      w.state === "running" ? el("button", { type: "button", class: "danger", "data-host-action": "kill-worker", "data-name": w.name, text: "Kill " + w.name }) : null,
    ]));
    const nodes = host.nodes.map((n) => el("div", { class: "card" }, [
      el("div", { class: "card-title", text: "Lavalink node " + n.name + (n.up ? " · up" : " · down") }),
      n.up ? el("button", { type: "button", class: "danger", "data-host-action": "kill-node", "data-index": n.index, text: "Kill node " + n.name })
        : el("button", { type: "button", "data-host-action": "restart-node", "data-index": n.index, text: "Restart node " + n.name }),
    ]));
    ui.hostFaults = el("div", {}, [
      el("h3", { class: "member-group", text: "Workers" }), ...workers,
      el("button", { type: "button", class: "secondary", "data-host-action": "start-worker", text: "Start another worker" }),
      el("h3", { class: "member-group", text: "Lavalink" }), ...nodes,
    ]);
    state.rendered.gatewayFaults = null;
  }

  function renderGatewayFaults() {
    const apps = state.view.applications;
    if (!changed("gatewayFaults", apps.map((a) => [a.id, a.name, a.connected]))) return;
    const gateway = apps.map((a) => el("div", { class: "card" }, [
      el("div", { class: "card-title", text: a.name }),
      el("div", { class: "muted", text: a.connected ? "gateway connected" : "gateway not connected" }),
      a.connected ? el("button", { type: "button", class: "danger", "data-drop": a.id, text: "Drop " + a.name + "'s gateway connection" }) : null,
    ]));
    ui.faults.replaceChildren(...[ui.hostFaults || null, el("h3", { class: "member-group", text: "Gateway" }), ...gateway].filter(Boolean));
  }

  function renderScenario(host) {
    if (changed("scenarioList", host.scenarios)) {
      const keep = ui.scenarioSelect.value;
      ui.scenarioSelect.replaceChildren(el("option", { value: "", text: "(the text below)" }), ...host.scenarios.map((s) => el("option", { value: s, text: s })));
      ui.scenarioSelect.value = host.scenarios.includes(keep) ? keep : (host.scenarios[0] || "");
    }
    const run = host.scenario;
    ui.scenarioStatus.textContent = run ? (run.running ? "Running " + run.name + "…" : run.name + ": finished, " + run.failures + " step(s) failed") : "";
    document.getElementById("scenario-run").disabled = !!(run && run.running);
    const text = run ? run.lines.join("\n") : "";
    if (ui.transcript.textContent !== text) {
      ui.transcript.textContent = text;
      ui.transcript.scrollTop = ui.transcript.scrollHeight;
    }
  }

  // ---- the slash-command composer --------------------------------------------------------------
  /// Every command the members of this guild can run, subcommands as their own entries.
  function commandEntries() {
    const g = guild();
    const entries = [];
    for (const app of state.view.applications) {
      for (const command of app.commands) {
        if ((command.type || 1) !== 1) continue;
        if (command.guild_id && (!g || command.guild_id !== g.id)) continue;
        const base = { app, top: command };
        const name = localized(command.name_localizations, command.name);
        const subs = (command.options || []).filter((o) => o.type === 1 || o.type === 2);
        if (!subs.length) {
          entries.push({ ...base, path: [command.name], label: name, description: localized(command.description_localizations, command.description), options: command.options || [] });
          continue;
        }
        for (const sub of subs) {
          const subName = localized(sub.name_localizations, sub.name);
          if (sub.type === 1) {
            entries.push({ ...base, path: [command.name, sub.name], label: name + " " + subName, description: localized(sub.description_localizations, sub.description), options: sub.options || [] });
          } else {
            for (const leaf of sub.options || []) {
              entries.push({ ...base, path: [command.name, sub.name, leaf.name], label: name + " " + subName + " " + localized(leaf.name_localizations, leaf.name),
                description: localized(leaf.description_localizations, leaf.description), options: leaf.options || [] });
            }
          }
        }
      }
    }
    return entries.sort((a, b) => a.label.localeCompare(b.label));
  }

  function updatePopup() {
    const value = ui.input.value;
    if (state.command || !value.startsWith("/") || !state.view) { closePopup(); return; }
    const typed = value.slice(1).toLowerCase();
    state.popupItems = commandEntries().filter((e) => e.label.toLowerCase().startsWith(typed) || e.path.join(" ").startsWith(typed)).slice(0, 25);
    state.popupIndex = Math.min(state.popupIndex, Math.max(0, state.popupItems.length - 1));
    if (!state.popupItems.length) {
      ui.popup.replaceChildren(el("div", { class: "popup-heading", text: "No command matches /" + typed }));
    } else {
      ui.popup.replaceChildren(el("div", { class: "popup-heading", "aria-hidden": "true", text: "Commands" }), ...state.popupItems.map((entry, index) =>
        el("div", { class: "popup-item", role: "option", id: "command-option-" + entry.path.join("-"), "data-index": index,
          "aria-selected": index === state.popupIndex ? "true" : "false" }, [
          el("span", { class: "command-name", text: "/" + entry.label }),
          el("span", { class: "command-description", text: entry.description + " · " + entry.app.name }),
        ])));
    }
    ui.popup.hidden = false;
    ui.input.setAttribute("aria-expanded", "true");
    const active = state.popupItems[state.popupIndex];
    ui.input.setAttribute("aria-activedescendant", active ? "command-option-" + active.path.join("-") : "");
  }

  function closePopup() {
    ui.popup.hidden = true;
    ui.input.setAttribute("aria-expanded", "false");
    ui.input.removeAttribute("aria-activedescendant");
  }

  function chooseCommand(entry) {
    state.command = entry;
    closePopup();
    ui.input.value = "/" + entry.label;
    ui.input.readOnly = true;
    ui.commandLegend.textContent = "/" + entry.label + " — " + entry.description;
    const fields = entry.options.map(optionField);
    fields.push(el("button", { type: "button", class: "secondary", "data-cancel-command": "true", text: "Cancel" }));
    ui.commandOptions.replaceChildren(...fields);
    ui.commandForm.hidden = false;
    const first = ui.commandOptions.querySelector("input, select");
    (first || ui.input).focus();
  }

  function cancelCommand() {
    state.command = null;
    ui.commandForm.hidden = true;
    ui.commandOptions.replaceChildren();
    ui.input.readOnly = false;
    ui.input.value = "";
    ui.input.focus();
  }

  function optionField(option) {
    const id = "option-" + option.name;
    const label = localized(option.name_localizations, option.name);
    const hint = localized(option.description_localizations, option.description);
    let control;
    const g = guild();
    if (option.choices && option.choices.length) {
      control = el("select", { id, "data-option": option.name }, [el("option", { value: "", text: option.required ? "Choose…" : "(none)" }),
        ...option.choices.map((c) => el("option", { value: JSON.stringify(c.value), text: localized(c.name_localizations, c.name) }))]);
    } else if (option.type === 5) {
      control = el("select", { id, "data-option": option.name }, [el("option", { value: "", text: option.required ? "Choose…" : "(none)" }),
        el("option", { value: "true", text: "True" }), el("option", { value: "false", text: "False" })]);
    } else if ([6, 7, 8, 9].includes(option.type) && g) {
      let choices = [];
      if (option.type === 6 || option.type === 9) choices = choices.concat(g.members.map((m) => ({ id: m.id, name: "@" + m.display_name })));
      if (option.type === 8 || option.type === 9) choices = choices.concat(g.roles.map((r) => ({ id: r.id, name: "@" + r.name })));
      if (option.type === 7) choices = g.channels.filter((c) => !option.channel_types || option.channel_types.includes(c.type)).map((c) => ({ id: c.id, name: (isVoice(c) ? "🔊 " : "#") + c.name }));
      control = el("select", { id, "data-option": option.name }, [el("option", { value: "", text: option.required ? "Choose…" : "(none)" }),
        ...choices.map((c) => el("option", { value: JSON.stringify(c.id), text: c.name }))]);
    } else {
      const numeric = option.type === 4 || option.type === 10;
      control = el("input", { id, "data-option": option.name, type: numeric ? "number" : "text", step: option.type === 10 ? "any" : null,
        min: option.min_value, max: option.max_value, minlength: option.min_length, maxlength: option.max_length,
        required: !!option.required, "aria-describedby": id + "-hint",
        role: option.autocomplete ? "combobox" : null, "aria-autocomplete": option.autocomplete ? "list" : null,
        "aria-expanded": option.autocomplete ? "false" : null, "aria-controls": option.autocomplete ? id + "-suggestions" : null });
      if (option.autocomplete) control.dataset.autocomplete = "true";
    }
    control.dataset.type = option.type;
    const children = [
      el("label", { for: id }, [label, option.required ? el("span", { class: "required", "aria-hidden": "true", text: " *" }) : null]),
      control, el("span", { class: "hint", id: id + "-hint", text: hint }),
    ];
    if (option.autocomplete) children.push(el("ul", { class: "suggestions", id: id + "-suggestions", role: "listbox", "aria-label": "Suggestions for " + label, hidden: true }));
    return el("div", { class: "option-field" }, children);
  }

  function optionValue(control) {
    const raw = control.value;
    if (raw === "") return undefined;
    if (control.tagName === "SELECT") return JSON.parse(raw);
    const type = Number(control.dataset.type);
    if (type === 4) return parseInt(raw, 10);
    if (type === 10) return parseFloat(raw);
    return raw;
  }

  function collectOptions() {
    const options = {};
    for (const control of ui.commandOptions.querySelectorAll("[data-option]")) {
      const value = optionValue(control);
      if (value !== undefined) options[control.dataset.option] = value;
    }
    return options;
  }

  let autocompleteTimer = null;
  let autocompleteRequest = 0;
  function requestAutocomplete(control) {
    clearTimeout(autocompleteTimer);
    // Ask once typing pauses, as Discord's client does; one answer per pause, never repeated.
    autocompleteTimer = setTimeout(async () => {
      const entry = state.command;
      if (!entry) return;
      const ticket = ++autocompleteRequest;
      const list = $(control.id + "-suggestions");
      try {
        const answer = await api("POST", "/playground/autocomplete", {
          application_id: entry.app.id, channel_id: state.channelId, user_id: state.me, name: entry.path.join(" "),
          options: collectOptions(), focused: control.dataset.option,
        });
        if (ticket !== autocompleteRequest || !list) return;
        const choices = answer.choices || [];
        list.replaceChildren(...choices.map((c, index) => el("li", { role: "option", id: control.id + "-choice-" + index, "data-value": JSON.stringify(c.value),
          "aria-selected": "false", text: localized(c.name_localizations, c.name) })));
        list.hidden = !choices.length;
        control.setAttribute("aria-expanded", choices.length ? "true" : "false");
      } catch (error) {
        if (list) { list.hidden = true; }
        showError("Autocomplete: " + error.message);
      }
    }, 250);
  }

  function pickSuggestion(item) {
    const list = item.parentElement;
    const control = $(list.id.replace(/-suggestions$/, ""));
    control.value = JSON.parse(item.dataset.value);
    list.hidden = true;
    control.setAttribute("aria-expanded", "false");
    control.focus();
  }

  async function submitComposer(event) {
    event.preventDefault();
    showError("");
    if (!state.view) return;
    if (state.command) {
      const entry = state.command;
      const missing = entry.options.filter((o) => o.required && !(o.name in collectOptions()));
      if (missing.length) { showError("Fill in " + missing.map((o) => localized(o.name_localizations, o.name)).join(", ") + " first."); return; }
      try {
        await api("POST", "/interactions/commands", {
          application_id: entry.app.id, channel_id: state.channelId, user_id: state.me, name: entry.path.join(" "),
          options: collectOptions(),
        });
        cancelCommand();
      } catch (error) { showError("/" + entry.label + ": " + error.message); }
      return;
    }
    const text = ui.input.value.trim();
    if (!text) return;
    if (text.startsWith("/")) {
      const exact = commandEntries().find((e) => e.label === text.slice(1).trim() || e.path.join(" ") === text.slice(1).trim());
      if (exact) chooseCommand(exact); else showError("No command named " + text + ": pick one from the list.");
      return;
    }
    try {
      await api("POST", "/channels/" + state.channelId + "/messages", { user_id: state.me, content: text });
      ui.input.value = "";
    } catch (error) { showError("Message not sent: " + error.message); }
  }

  // ---- events --------------------------------------------------------------------------------
  ui.input.addEventListener("input", () => { state.popupIndex = 0; updatePopup(); });
  ui.input.addEventListener("keydown", (event) => {
    if (state.command && (event.key === "Escape" || event.key === "Backspace")) { event.preventDefault(); cancelCommand(); return; }
    if (ui.popup.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const n = state.popupItems.length;
      if (n) state.popupIndex = (state.popupIndex + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
      updatePopup();
      const active = ui.popup.querySelector('[aria-selected="true"]');
      if (active) active.scrollIntoView({ block: "nearest" });
    } else if ((event.key === "Enter" || event.key === "Tab") && state.popupItems.length) {
      event.preventDefault();
      chooseCommand(state.popupItems[state.popupIndex]);
    } else if (event.key === "Escape") {
      closePopup();
    }
  });
  ui.popup.addEventListener("mousedown", (event) => {
    const item = event.target.closest(".popup-item");
    if (item) { event.preventDefault(); chooseCommand(state.popupItems[Number(item.dataset.index)]); }
  });
  ui.commandOptions.addEventListener("input", (event) => {
    if (event.target.dataset && event.target.dataset.autocomplete) requestAutocomplete(event.target);
  });
  ui.commandOptions.addEventListener("keydown", (event) => {
    const control = event.target;
    if (event.key === "Escape") { event.preventDefault(); cancelCommand(); return; }
    if (!control.dataset || !control.dataset.autocomplete) return;
    const list = $(control.id + "-suggestions");
    if (!list || list.hidden) return;
    const items = [...list.children];
    let index = items.findIndex((i) => i.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      index = (index + (event.key === "ArrowDown" ? 1 : items.length - 1) + (index < 0 && event.key === "ArrowUp" ? 1 : 0)) % items.length;
      items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
      control.setAttribute("aria-activedescendant", items[index].id);
    } else if (event.key === "Enter" && index >= 0) {
      event.preventDefault();
      pickSuggestion(items[index]);
    }
  });
  ui.commandOptions.addEventListener("mousedown", (event) => {
    const item = event.target.closest(".suggestions li");
    if (item) { event.preventDefault(); pickSuggestion(item); }
  });
  ui.commandOptions.addEventListener("click", (event) => {
    if (event.target.dataset && event.target.dataset.cancelCommand) cancelCommand();
  });
  ui.composer.addEventListener("submit", submitComposer);

  ui.actAs.addEventListener("change", () => {
    state.me = ui.actAs.value;
    localStorage.setItem("playground.me", state.me);
    if (state.command) cancelCommand();
    render();
  });
  ui.locale.addEventListener("change", async () => {
    try { await api("PUT", "/playground/users/" + state.me + "/locale", { locale: ui.locale.value }); toast("Language: " + ui.locale.selectedOptions[0].text); }
    catch (error) { toast("Could not change the language: " + error.message, true); }
  });
  ui.textChannels.addEventListener("click", (event) => {
    const button = event.target.closest("[data-channel-id]");
    if (button) { state.channelId = button.dataset.channelId; render(); }
  });
  async function setVoice(channelId) {
    const g = guild();
    try { await api("PUT", "/guilds/" + g.id + "/voice/" + state.me, { channel_id: channelId }); }
    catch (error) { toast("Voice: " + error.message, true); }
  }
  ui.voiceChannels.addEventListener("click", (event) => {
    const button = event.target.closest("[data-voice-id]");
    if (button) setVoice(button.dataset.voiceId);
  });
  ui.voiceLeave.addEventListener("click", () => setVoice(null));

  async function useComponent(messageId, customId, values, control) {
    if (control) control.classList.add("pending");
    try {
      await api("POST", "/interactions/components", { message_id: messageId, user_id: state.me, custom_id: customId, values });
    } catch (error) { showError(error.message); }
    finally { if (control) control.classList.remove("pending"); }
  }
  ui.messages.addEventListener("click", (event) => {
    const dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) { state.dismissed.add(dismiss.dataset.dismiss); render(); return; }
    const button = event.target.closest("button[data-custom-id]");
    if (button) { useComponent(button.dataset.message, button.dataset.customId, undefined, button); return; }
    const submit = event.target.closest("[data-submit-select]");
    if (submit) {
      const select = submit.parentElement.querySelector("select");
      useComponent(submit.dataset.message, submit.dataset.submitSelect, [...select.selectedOptions].map((o) => o.value), submit);
    }
  });
  ui.messages.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-custom-id]");
    if (select && !select.multiple && select.value) useComponent(select.dataset.message, select.dataset.customId, [select.value], select);
  });

  async function hostAction(action, body) {
    try {
      const answer = await api("POST", "/playground/host/" + action, body || {});
      toast(answer && answer.message ? answer.message : action + ": done");
    } catch (error) { toast(error.message, true); }
  }
  ui.faults.addEventListener("click", async (event) => {
    const drop = event.target.closest("[data-drop]");
    if (drop) {
      try { const answer = await api("POST", "/faults/drop", { application_id: drop.dataset.drop }); toast("Dropped " + answer.connections + " gateway connection(s)"); }
      catch (error) { toast(error.message, true); }
      return;
    }
    const button = event.target.closest("[data-host-action]");
    if (button) hostAction(button.dataset.hostAction, { name: button.dataset.name, index: button.dataset.index ? Number(button.dataset.index) : undefined });
  });
  ui.clockForm.addEventListener("submit", (event) => { event.preventDefault(); hostAction("clock-speed", { speed: Number(ui.clockSpeed.value) }); });
  ui.clockPanel.addEventListener("click", (event) => {
    const button = event.target.closest("[data-advance]");
    if (button) hostAction("clock-advance", { ms: Number(button.dataset.advance) });
  });
  ui.scenarioForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = ui.scenarioSelect.value;
    if (!name && !ui.scenarioText.value.trim()) { toast("Pick a script or write one first.", true); return; }
    hostAction("run-scenario", name ? { name } : { text: ui.scenarioText.value });
  });
  document.querySelector(".tabs").addEventListener("click", (event) => {
    const button = event.target.closest("[data-show]");
    if (!button) return;
    ui.app.dataset.view = button.dataset.show;
    for (const tab of document.querySelectorAll(".tabs button")) tab.setAttribute("aria-current", tab === button ? "true" : "false");
  });

  connect();
})();
"""#
}
