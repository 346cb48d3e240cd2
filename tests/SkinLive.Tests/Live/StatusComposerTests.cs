using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Localization;

namespace SkinLive.Tests.Live;

/// <summary>The status line's priorities, one conflict at a time, without GL.</summary>
public sealed class StatusComposerTests
{
    private static readonly StatusInputs Running = new() { Source = SourceStatus.Running, HasFrame = true, Model = ModelStatus.Running };

    private static string? Status(StatusInputs inputs) => new StatusComposer().Compose(inputs).Status;

    [Fact]
    public void A_healthy_run_has_no_status_and_no_full_screen_message()
    {
        Assert.Equal(new StatusLine(null, null), new StatusComposer().Compose(Running));
    }

    [Fact]
    public void The_rules_are_one_ordered_table()
    {
        Assert.Equal(
            ["model failed", "model result invalid", "camera", "camera stalled", "switching", "switch failed", "recording stopped", "preprocessing fell back", "waiting for the camera", "no model", "picture quality"],
            new StatusComposer().Rules);
    }

    [Fact]
    public void A_fallen_back_cpu_backend_is_said_below_a_stopped_recording_and_above_quality_prompts()
    {
        const string fellBack = "CPU preprocessing stopped (IOException: x); the GPU took over";
        Assert.Equal("Recording stopped: disk full", Status(Running with { RecordingFailure = "disk full", PreprocessFailure = fellBack }));
        Assert.Equal(fellBack, Status(Running with { PreprocessFailure = fellBack, Quality = QualityFlags.Blurry }));
    }

    [Fact]
    public void A_failed_model_is_said_above_a_disconnected_camera()
    {
        Assert.Equal("No model: boom", Status(Running with { Source = SourceStatus.Disconnected, Model = ModelStatus.Faulted, ModelError = "boom" }));
    }

    [Fact]
    public void An_invalid_result_is_said_above_a_failed_camera_and_a_quality_prompt()
    {
        Assert.Equal(
            "The model returned an invalid result (NaN); verdict withheld.",
            Status(Running with { Source = SourceStatus.Faulted, SourceFailure = "gone", Model = ModelStatus.InvalidResult, Quality = QualityFlags.Blurry }));
    }

    [Fact]
    public void Model_problems_are_not_said_before_the_first_frame()
    {
        Assert.Equal("Waiting for the camera…", Status(Running with { HasFrame = false, Model = ModelStatus.Faulted, ModelError = "boom" }));
    }

    [Theory]
    [InlineData(SourceStatus.Disconnected, "Camera disconnected, reconnecting…")]
    [InlineData(SourceStatus.Faulted, "Camera failed: no device")]
    [InlineData(SourceStatus.Ended, "End of recording")]
    public void The_camera_is_said_above_a_switch_a_recording_failure_and_the_picture_quality(SourceStatus source, string expected)
    {
        Assert.Equal(expected, Status(Running with
        {
            Source = source,
            SourceFailure = "no device",
            Switching = SwitchInProgress.Camera,
            SwitchFailure = "No other camera was found.",
            RecordingFailure = "disk full",
            Quality = QualityFlags.TooDark,
        }));
    }

    [Fact]
    public void A_stall_is_said_above_a_switch()
    {
        Assert.Equal("No new picture from the camera: it has stalled", Status(Running with { Stalled = true, Switching = SwitchInProgress.Model }));
    }

    [Fact]
    public void A_camera_switch_is_said_above_a_model_switch_and_a_failed_switch()
    {
        Assert.Equal("Switching camera…", Status(Running with { Switching = SwitchInProgress.Camera, SwitchFailure = "No other model in models." }));
        Assert.Equal("Loading the next model…", Status(Running with { Switching = SwitchInProgress.Model, SwitchFailure = "No other model in models." }));
    }

    [Fact]
    public void A_failed_switch_is_said_above_a_recording_failure()
    {
        Assert.Equal("No other camera was found.", Status(Running with { SwitchFailure = "No other camera was found.", RecordingFailure = "disk full" }));
    }

    [Fact]
    public void A_recording_failure_is_said_above_waiting_for_the_camera_and_the_missing_model()
    {
        Assert.Equal("Recording stopped: disk full", Status(Running with { RecordingFailure = "disk full", HasFrame = false }));
        Assert.Equal("Recording stopped: disk full", Status(Running with { RecordingFailure = "disk full", Model = ModelStatus.None }));
    }

    [Fact]
    public void Without_a_model_the_reason_is_said_and_no_quality_prompt()
    {
        Assert.Equal("No model loaded: video only", Status(Running with { Model = ModelStatus.None, Quality = QualityFlags.Blurry }));
        Assert.Equal("Model refused: pinned", Status(Running with { Model = ModelStatus.None, ModelProblem = "Model refused: pinned" }));
    }

    [Fact]
    public void The_quality_prompt_is_the_most_actionable_flag()
    {
        Assert.Equal("Too dark: add light", Status(Running with { Quality = QualityFlags.TooDark | QualityFlags.Blurry }));
        Assert.Equal("Move closer", Status(Running with { Quality = QualityFlags.LesionTooSmall }));
    }

    [Theory]
    [InlineData(SourceStatus.Disconnected, true, "Reconnecting camera…")]
    [InlineData(SourceStatus.Faulted, true, "Reconnecting camera…")]
    [InlineData(SourceStatus.Ended, true, null)]
    [InlineData(SourceStatus.Faulted, false, null)]
    public void Only_a_kiosk_covers_the_video_and_only_while_the_camera_is_gone(SourceStatus source, bool kiosk, string? expected)
    {
        Assert.Equal(expected, new StatusComposer().Compose(Running with { Source = source, Kiosk = kiosk }).FullScreen);
    }

    [Fact]
    public void A_message_built_from_a_reason_is_built_once_per_reason()
    {
        var composer = new StatusComposer();
        string reason = "device busy";
        StatusInputs failed = Running with { Source = SourceStatus.Faulted, SourceFailure = reason };
        string? first = composer.Compose(failed).Status;
        Assert.Same(first, composer.Compose(failed).Status);
        Assert.Equal("Camera failed: other", composer.Compose(failed with { SourceFailure = "other" }).Status);
    }
}
