// Echoes a Thai date field (วัน/เดือน/ปี พ.ศ.) in words while typing, e.g.
// "วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙". The server reads the field with the same rules
// (src/thai/date_field.rs) and shows the same echo after submitting: this script only helps earlier.
(function () {
  "use strict";
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
    "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
  var DAYS = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"];
  var THAI = "๐๑๒๓๔๕๖๗๘๙";

  function arabic(s) {
    return s.replace(/[๐-๙]/g, function (c) { return String(THAI.indexOf(c)); })
      .replace(/[０-９]/g, function (c) { return String(c.charCodeAt(0) - 0xff10); })
      .replace(/／/g, "/");
  }
  function thai(s) {
    return String(s).replace(/[0-9]/g, function (c) { return THAI[+c]; });
  }
  function monthOf(name) {
    var key = name.replace(/[.\s]/g, "");
    for (var i = 0; i < 12; i++) {
      if (MONTHS[i] === key || ABBR[i].replace(/\./g, "") === key) { return i + 1; }
    }
    return 0;
  }
  // Returns {date} or {message}; null when there is nothing to say yet.
  function read(typed) {
    var s = arabic(typed).replace(/\s+/g, " ").trim().replace(/^วันที่\s*/, "");
    if (!s) { return null; }
    var m = s.match(/^(\d{1,2})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{4})$/) ||
      s.match(/^(\d{1,2})\s*([^\d]+?)\s*(?:พ\.ศ\.?)?\s*(\d{4})$/);
    if (!m) { return null; }
    var day = +m[1], month = /^\d+$/.test(m[2]) ? +m[2] : monthOf(m[2]), be = +m[3];
    if (!month) { return { message: "ไม่รู้จักชื่อเดือน “" + m[2] + "”" }; }
    if (be < 2400 && be + 543 >= 2400 && be + 543 <= 2700) {
      return { message: "ปี " + be + " น่าจะเป็นปี ค.ศ. กรุณาระบุเป็นปี พ.ศ. " + (be + 543) };
    }
    if (be < 2400 || be > 2700) { return { message: "ปี พ.ศ. " + be + " อยู่นอกช่วงที่รับได้" }; }
    var d = new Date(Date.UTC(be - 543, month - 1, day));
    if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
      return { message: "ไม่มีวันที่ " + day + " " + MONTHS[month - 1] + " " + be + " ในปฏิทิน" };
    }
    return { date: d, be: be };
  }
  function words(r) {
    var d = r.date;
    return "วัน" + DAYS[d.getUTCDay()] + "ที่ " + thai(d.getUTCDate()) + " " + MONTHS[d.getUTCMonth()] +
      " พ.ศ. " + thai(r.be);
  }
  function wire(input) {
    var echo = document.getElementById(input.getAttribute("data-echo"));
    if (!echo) { return; }
    input.addEventListener("input", function () {
      var r = read(input.value);
      echo.textContent = r === null ? "" : (r.date ? words(r) : r.message);
    });
  }
  var fields = document.querySelectorAll("input.thai-date[data-echo]");
  for (var i = 0; i < fields.length; i++) { wire(fields[i]); }
}());
