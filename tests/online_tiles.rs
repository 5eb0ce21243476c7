//! A custom XYZ source served by a loopback tile server that first answers with PNG tiles, then
//! with 404, 500, garbage bytes and a stall that lasts until the test ends. The app must keep
//! producing frames while the stalled requests are unanswered (no step waits for the network) and
//! the offline tiles must be drawn beneath in every case. Only 127.0.0.1 is contacted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};
use strikemap::StrikemapApp;
use strikemap::settings::TileSourceChoice;

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(u8)]
enum Behaviour {
    Png = 0,
    NotFound,
    ServerError,
    Garbage,
    Stall,
}

const BEHAVIOURS: [Behaviour; 5] = [
    Behaviour::Png,
    Behaviour::NotFound,
    Behaviour::ServerError,
    Behaviour::Garbage,
    Behaviour::Stall,
];

struct TileServer {
    port: u16,
    behaviour: Arc<AtomicU8>,
    requests: Arc<AtomicUsize>,
    stall: Arc<Stall>,
}

/// Holds the stalled requests unanswered until the test releases them.
#[derive(Default)]
struct Stall {
    released: Mutex<bool>,
    release: Condvar,
    /// Stalled requests answered so far.
    answered: AtomicUsize,
    /// Set when a stalled request gave up waiting for the release (the test hung).
    gave_up: AtomicBool,
}

impl Stall {
    /// Blocks until `release` is called (at most a minute, so that no thread outlives a hung test
    /// by much).
    fn wait(&self) {
        let released = self.released.lock().expect("stall lock");
        let (released, _) = self
            .release
            .wait_timeout_while(released, Duration::from_secs(60), |released| !*released)
            .expect("stall lock");
        if !*released {
            self.gave_up.store(true, Ordering::SeqCst);
        }
    }

    fn release(&self) {
        *self.released.lock().expect("stall lock") = true;
        self.release.notify_all();
    }
}

fn png_tile() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(256, 256, image::Rgba([200, 40, 160, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode png");
    bytes.into_inner()
}

fn respond(mut stream: TcpStream, behaviour: Behaviour, png: &[u8], stall: &Stall) {
    let mut request = [0u8; 2048];
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.read(&mut request);
    let reply = |status: &str, content_type: &str, body: &[u8]| {
        let mut reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        reply.extend_from_slice(body);
        reply
    };
    let bytes = match behaviour {
        Behaviour::Png => reply("200 OK", "image/png", png),
        Behaviour::NotFound => reply("404 Not Found", "text/plain", b"no such tile"),
        Behaviour::ServerError => reply("500 Internal Server Error", "text/plain", b"boom"),
        Behaviour::Garbage => reply("200 OK", "image/png", b"\x89PNG\r\n\x1a\nthis is not a png"),
        Behaviour::Stall => {
            stall.wait();
            reply("200 OK", "image/png", png)
        }
    };
    let _ = stream.write_all(&bytes);
    if behaviour == Behaviour::Stall {
        stall.answered.fetch_add(1, Ordering::SeqCst);
    }
}

fn start_tile_server() -> TileServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let behaviour = Arc::new(AtomicU8::new(Behaviour::Png as u8));
    let requests = Arc::new(AtomicUsize::new(0));
    let stall = Arc::new(Stall::default());
    let (shared_behaviour, shared_requests, shared_stall) = (
        Arc::clone(&behaviour),
        Arc::clone(&requests),
        Arc::clone(&stall),
    );
    std::thread::spawn(move || {
        let png = Arc::new(png_tile());
        for stream in listener.incoming().flatten() {
            shared_requests.fetch_add(1, Ordering::SeqCst);
            let behaviour = BEHAVIOURS[usize::from(shared_behaviour.load(Ordering::SeqCst))];
            let (png, stall) = (Arc::clone(&png), Arc::clone(&shared_stall));
            std::thread::spawn(move || respond(stream, behaviour, &png, &stall));
        }
    });
    TileServer {
        port,
        behaviour,
        requests,
        stall,
    }
}

/// Frames run after a case's first request reached the server, before its checks.
const FRAMES_PER_CASE: usize = 40;

#[test]
fn failing_online_tiles_never_stall_frames_and_offline_tiles_show_beneath() {
    let server = start_tile_server();
    let cache = std::env::temp_dir().join(format!("strikemap-test-tiles-{}", std::process::id()));
    let cache_root = cache.clone();
    let mut harness = common::harness_with(1100.0, 700.0, move |ctx| {
        StrikemapApp::new(
            ctx,
            strikemap::settings::Settings::default(),
            Some(cache_root),
        )
    });
    let ctx = harness.ctx.clone();
    let url_template = format!("http://127.0.0.1:{}/{{z}}/{{x}}/{{y}}.png", server.port);
    harness
        .state_mut()
        .choose_basemap(TileSourceChoice::CustomXyz { url_template }, &ctx);
    assert!(matches!(
        harness.state().map.basemap.choice(),
        TileSourceChoice::CustomXyz { .. }
    ));

    let mut slowest_step = Duration::ZERO;
    let mut step = |harness: &mut egui_kittest::Harness<'_, StrikemapApp>| {
        let started = Instant::now();
        harness.step();
        slowest_step = slowest_step.max(started.elapsed());
        std::thread::sleep(Duration::from_millis(10));
    };

    // Each behaviour gets its own part of the map, so that new tiles are asked for.
    let views = [
        (27.5, 63.5, 6.0),
        (29.0, 66.0, 7.0),
        (26.0, 61.0, 7.0),
        (28.0, 64.0, 8.0),
        (30.0, 68.0, 8.0),
    ];
    for (behaviour, (lat, lon, zoom)) in BEHAVIOURS.into_iter().zip(views) {
        server.behaviour.store(behaviour as u8, Ordering::SeqCst);
        let before = server.requests.load(Ordering::SeqCst);
        {
            let memory = &mut harness.state_mut().map.memory;
            memory.center_at(walkers::lat_lon(lat, lon));
            memory.set_zoom(zoom).expect("valid zoom");
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.requests.load(Ordering::SeqCst) == before && Instant::now() < deadline {
            step(&mut harness);
        }
        assert!(
            server.requests.load(Ordering::SeqCst) > before,
            "{behaviour:?}: the custom source asked the loopback server for tiles"
        );
        for _ in 0..FRAMES_PER_CASE {
            step(&mut harness);
        }
        assert!(
            harness.state().map.basemap.offline().drawn_last_pass() > 0,
            "{behaviour:?}: offline tiles are drawn beneath the online layer in the last frame"
        );
    }
    // The stalled requests cannot be answered before `release`: frames that completed meanwhile
    // did not wait for them. A frame that waited would have hung until the stall gave up.
    assert!(
        harness.state().map.basemap.online_downloads_in_progress() > 0,
        "the stalled downloads are still in flight, off the UI thread"
    );
    assert_eq!(
        server.stall.answered.load(Ordering::SeqCst),
        0,
        "no stalled request was answered while {FRAMES_PER_CASE} frames completed"
    );
    assert!(
        !server.stall.gave_up.load(Ordering::SeqCst),
        "a stalled request waited a minute: some frame blocked on it"
    );
    server.stall.release();
    eprintln!("slowest frame while tiles failed: {slowest_step:?}");
    let _ = std::fs::remove_dir_all(&cache);
}
