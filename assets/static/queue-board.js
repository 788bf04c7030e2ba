// The queue board, live (templates/queue/board.html): follows the server-sent events, updates the
// counters, the last calls and the waiting counts, and says each call in Thai: with the device's
// Thai voice when it has one, else with the clips the server ships (no internet needed).
// Without this script the page still shows everything and refreshes itself.
(function () {
  'use strict';
  var body = document.body;
  var streamUrl = body.getAttribute('data-stream');
  if (!streamUrl || !window.EventSource) return;
  var link = document.getElementById('board-link');
  var soundButton = document.getElementById('board-sound');
  var recentList = document.getElementById('board-recent');
  var RECENT = recentList ? Math.max(recentList.children.length, 8) : 8;
  var SOUND_KEY = 'queue-board-sound';
  var lastId = null;
  var source = null;

  // A new day starts a new board (today's calls only); at least a minute apart, whatever the clock.
  var dayEnds = Number(body.getAttribute('data-day-ends'));
  if (dayEnds) {
    setTimeout(function () { location.reload(); }, Math.max(dayEnds - Date.now(), 0) + 60000 * (1 + Math.random()));
  }

  function withAfter(url, id) {
    if (id === null) return url;
    return url.replace(/([?&]after=)\d+/, '$1' + id);
  }

  function connect(url) {
    source = new EventSource(url);
    source.onopen = function () {
      link.hidden = true;
      body.setAttribute('data-connected', '1');
    };
    source.onmessage = function (e) {
      var event;
      try { event = JSON.parse(e.data); } catch (err) { return; }
      if (e.lastEventId) lastId = e.lastEventId;
      apply(event);
    };
    source.addEventListener('counts', function (e) {
      try { counts(JSON.parse(e.data)); } catch (err) { /* a broken message changes nothing */ }
    });
    source.addEventListener('reload', function () { location.reload(); });
    source.onerror = function () {
      // The browser reconnects by itself with Last-Event-ID (the server says after 2 s); when it
      // gives up (a proxy's error page instead of the stream) we start again from the last event.
      link.hidden = false;
      body.removeAttribute('data-connected');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(function () { connect(withAfter(streamUrl, lastId)); }, 3000);
      }
    };
  }

  function text(el, value) { if (el) el.textContent = value; }

  function span(cls, value) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = value;
    return s;
  }

  function apply(event) {
    if (event.kind !== 'call' && event.kind !== 'recall') return;
    var card = document.querySelector('[data-counter="' + Number(event.counter_id) + '"]');
    if (card) {
      text(card.querySelector('.counter-ticket'), event.label);
      text(card.querySelector('.counter-service'), event.service);
      text(card.querySelector('.counter-time'), event.time);
      card.classList.add('called');
      clearTimeout(card.calledTimer);
      card.calledTimer = setTimeout(function () { card.classList.remove('called'); }, 15000);
    }
    if (recentList) {
      var li = document.createElement('li');
      li.appendChild(span('recent-ticket', event.label));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(span('recent-counter', event.counter));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(span('recent-service', event.service));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(span('recent-time', event.time));
      recentList.insertBefore(li, recentList.firstChild);
      while (recentList.children.length > RECENT) recentList.removeChild(recentList.lastChild);
    }
    if (event.announce) say(event);
  }

  function counts(point) {
    var table = document.querySelector('table.board-waiting[data-point="' + Number(point.point) + '"] tbody');
    if (!table) return;
    point.services.forEach(function (s) {
      var row = table.querySelector('tr[data-service="' + Number(s.service_id) + '"]');
      if (!row) {
        row = document.createElement('tr');
        row.setAttribute('data-service', s.service_id);
        var th = document.createElement('th');
        th.scope = 'row';
        row.appendChild(th);
        row.appendChild(document.createElement('td'));
        table.appendChild(row);
      }
      text(row.querySelector('th'), s.name);
      text(row.querySelector('td'), s.waiting);
    });
  }

  // Voice. Browsers refuse sound until a person touches the page: the button asks once, and the
  // choice is remembered, so a kiosk browser that allows sound starts speaking after a reload.
  var soundOn = false;
  var pending = [];
  var speaking = false;
  var player = new Audio();
  player.preload = 'auto';

  function thaiVoice() {
    if (!window.speechSynthesis) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^th([-_]|$)/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }

  function refused() {
    // Sound was blocked (no touch yet on this page): ask again, keep the calls for later.
    soundOn = false;
    speaking = false;
    soundButton.hidden = false;
  }

  function say(event) {
    pending.push(event);
    while (pending.length > 5) pending.shift();
    if (soundOn && !speaking) next();
  }

  function next() {
    var event = pending.shift();
    if (!event || !soundOn) { speaking = false; return; }
    speaking = true;
    body.setAttribute('data-last-said', event.speech);
    var voice = thaiVoice();
    if (voice) {
      var u = new SpeechSynthesisUtterance(event.speech);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9;
      u.onend = function () { setTimeout(next, 500); };
      u.onerror = function (e) {
        if (e.error === 'not-allowed') { pending.unshift(event); refused(); } else { setTimeout(next, 500); }
      };
      window.speechSynthesis.speak(u);
    } else {
      play(event.clips.slice(), function () { setTimeout(next, 500); }, event);
    }
  }

  function play(clips, done, event) {
    if (!clips.length) { done(); return; }
    player.src = '/static/audio/queue/' + clips.shift() + '.mp3';
    player.onended = function () { play(clips, done, event); };
    player.onerror = player.onended;
    var started = player.play();
    if (started && started.catch) {
      started.catch(function (e) {
        if (e && e.name === 'NotAllowedError') { pending.unshift(event); refused(); } else { play(clips, done, event); }
      });
    }
  }

  function enableSound() {
    soundOn = true;
    soundButton.hidden = true;
    try { localStorage.setItem(SOUND_KEY, '1'); } catch (e) { /* private mode: ask again next time */ }
    // Within the touch: unlock this page's audio element and speech.
    player.src = '/static/audio/queue/number.mp3';
    player.volume = 0;
    var p = player.play();
    var restore = function () { player.pause(); player.volume = 1; if (!speaking) next(); };
    if (p && p.then) p.then(restore, restore); else restore();
    if (window.speechSynthesis) window.speechSynthesis.speak(new SpeechSynthesisUtterance(''));
  }

  soundButton.addEventListener('click', enableSound);
  var remembered = false;
  try { remembered = localStorage.getItem(SOUND_KEY) === '1'; } catch (e) { remembered = false; }
  if (remembered) { soundOn = true; } else { soundButton.hidden = false; }
  if (window.speechSynthesis) window.speechSynthesis.getVoices(); // starts loading the list

  connect(streamUrl);
})();
